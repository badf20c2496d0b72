// BALD with MC dropout (spec §5.7): per model the mutual information between prediction and
// weights over T stochastic passes, averaged over the ensemble (`mean_score`), highest first.

/// `bald_score` + `mean_score`: top-`budget` unlabeled slices by ensemble-mean BALD.
public struct BALDSelection: SelectionStrategy {
  public let name: String

  public init(name: String = "bald") { self.name = name }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    if let summaries = data.dropoutSummaries {
      guard !summaries.isEmpty else {
        throw SelectionError(
          code: .missingData,
          message: "strategy '\(name)' got dropoutSummaries for 0 models; pass each model's MC-dropout summary")
      }
      for model in summaries {
        try UncertaintySelection.check(model.meanProbabilities, "dropoutSummaries", pool: pool, data: data)
      }
      let cost = summaries.reduce(0) { $0 + $1.meanProbabilities.classes * $1.meanProbabilities.pixels }
      let scored = UncertaintySelection.scoreUnlabeled(pool: pool, labeled: labeled, costPerSlice: cost) {
        UncertaintyScores.ensembleBALD(summaries, slice: $0)
      }
      return RankedSplit.top(scored, labeled: labeled, count: budget)
    }
    let models = try data.require(data.dropoutProbabilities, "dropoutProbabilities (or dropoutSummaries)", for: name)
    guard !models.isEmpty else {
      throw SelectionError(
        code: .missingData,
        message: "strategy '\(name)' got dropoutProbabilities for 0 models; pass each model's MC-dropout passes")
    }
    for model in models { try UncertaintySelection.check(model, "dropoutProbabilities", pool: pool, data: data) }
    let cost = models.reduce(0) { $0 + $1.members * $1.classes * $1.pixels }
    let scored = UncertaintySelection.scoreUnlabeled(pool: pool, labeled: labeled, costPerSlice: cost) {
      UncertaintyScores.ensembleBALD(models, slice: $0)
    }
    return RankedSplit.top(scored, labeled: labeled, count: budget)
  }
}
