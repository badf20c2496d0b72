// Random selection (spec §5.1): a seeded uniform sample of the unlabeled slices.

/// `budget` unlabeled slices drawn uniformly without replacement; scores are `budget − rank`.
public struct RandomSelection: SelectionStrategy {
  public let name: String

  public init(name: String = "random") { self.name = name }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    var rows = pool.unlabeledRows(labeled)
    Shuffle.fisherYates(&rows, using: &rng)
    return Array(rows.prefix(budget)).rankedByOrder(in: pool)
  }
}
