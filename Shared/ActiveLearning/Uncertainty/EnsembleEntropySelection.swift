// Deep-ensemble entropy (spec §5.4): rank unlabeled slices by the mean pixel entropy of the
// members' averaged softmax, highest first.

/// `entropy_w_label_probs`: top-`budget` unlabeled slices by ensemble entropy.
public struct EnsembleEntropySelection: SelectionStrategy {
  public let name: String

  public init(name: String = "entropy") { self.name = name }

  public func select(pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
                     using rng: inout some RandomNumberGenerator) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let probabilities = try data.require(data.ensembleProbabilities, "ensembleProbabilities", for: name)
    try UncertaintySelection.check(probabilities, "ensembleProbabilities", pool: pool, data: data)
    let scored = UncertaintySelection.scoreUnlabeled(
      pool: pool, labeled: labeled, costPerSlice: probabilities.members * probabilities.classes * probabilities.pixels
    ) { UncertaintyScores.ensembleEntropy(probabilities, slice: $0) }
    return RankedSplit.top(scored, labeled: labeled, count: budget)
  }
}
