// Stochastic batches (spec §5.6, Gaillochet et al.): shuffle the unlabeled slices, cut them into
// groups of `batchSize`, give every slice its group's mean entropy, and take the top slices.

/// Ensemble-entropy scores averaged over random groups; whole groups with the highest mean win.
public struct StochasticBatchesSelection: SelectionStrategy {
  public let name: String
  /// `sbatch_size` (10).
  public let batchSize: Int

  public init(name: String = "stochastic-batches", batchSize: Int = 10) {
    precondition(batchSize > 0, "StochasticBatchesSelection needs batchSize > 0, got \(batchSize)")
    self.name = name
    self.batchSize = batchSize
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let probabilities = try data.require(data.ensembleProbabilities, "ensembleProbabilities", for: name)
    try UncertaintySelection.check(probabilities, "ensembleProbabilities", pool: pool, data: data)
    var scored = UncertaintySelection.scoreUnlabeled(
      pool: pool, labeled: labeled, costPerSlice: probabilities.members * probabilities.classes * probabilities.pixels
    ) { UncertaintyScores.ensembleEntropy(probabilities, slice: $0) }
    Shuffle.fisherYates(&scored, using: &rng)
    var grouped: [RankedSlice] = []
    grouped.reserveCapacity(scored.count)
    for start in stride(from: 0, to: scored.count, by: batchSize) {
      let group = scored[start..<min(start + batchSize, scored.count)]
      let mean = group.reduce(0) { $0 + $1.score } / Double(group.count)
      grouped.append(contentsOf: group.map { RankedSlice(id: $0.id, score: mean) })
    }
    return RankedSplit.top(grouped, labeled: labeled, count: budget)
  }
}
