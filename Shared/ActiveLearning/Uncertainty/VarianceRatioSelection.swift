// Ensemble variance ratio (spec §5.5, Beluch et al. 2018): rank unlabeled slices by the mean
// pixel disagreement of the members' argmax votes, highest first.

/// `ensemble_variance_ratio`: top-`budget` unlabeled slices by variance ratio.
public struct VarianceRatioSelection: SelectionStrategy {
  public let name: String

  public init(name: String = "variance-ratio") { self.name = name }

  public func select(pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
                     using rng: inout some RandomNumberGenerator) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let probabilities = try data.require(data.ensembleProbabilities, "ensembleProbabilities", for: name)
    try UncertaintySelection.check(probabilities, "ensembleProbabilities", pool: pool, data: data)
    let scored = UncertaintySelection.scoreUnlabeled(
      pool: pool, labeled: labeled, costPerSlice: probabilities.members * probabilities.classes * probabilities.pixels
    ) { UncertaintyScores.varianceRatio(probabilities, slice: $0) }
    return RankedSplit.top(scored, labeled: labeled, count: budget)
  }
}
