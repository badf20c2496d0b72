// The deep-ensemble strategies, which differ only in their per-slice score of the members' softmax:
// entropy of the averaged softmax (spec §5.4, `entropy_w_label_probs`) and the variance ratio of the members'
// argmax votes (spec §5.5, Beluch et al. 2018, `ensemble_variance_ratio`). Highest score first.

/// Top-`budget` unlabeled slices by an ensemble score.
public struct EnsembleScoreSelection: SelectionStrategy {
  /// A per-slice score of the ensemble's class probabilities.
  public enum Score: Sendable {
    case entropy, varianceRatio

    func callAsFunction(_ probabilities: ClassProbabilities, slice: Int) -> Double {
      switch self {
      case .entropy: UncertaintyScores.ensembleEntropy(probabilities, slice: slice)
      case .varianceRatio: UncertaintyScores.varianceRatio(probabilities, slice: slice)
      }
    }
  }

  public let name: String
  public let score: Score

  public init(name: String, score: Score) {
    self.name = name
    self.score = score
  }

  /// `entropy`: mean pixel entropy of the averaged softmax.
  public static let entropy = EnsembleScoreSelection(name: "entropy", score: .entropy)
  /// `variance-ratio`: mean pixel disagreement of the argmax votes.
  public static let varianceRatio = EnsembleScoreSelection(name: "variance-ratio", score: .varianceRatio)

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let probabilities = try data.require(data.ensembleProbabilities, "ensembleProbabilities", for: name)
    try UncertaintySelection.check(probabilities, "ensembleProbabilities", pool: pool, data: data)
    let score = self.score
    let scored = UncertaintySelection.scoreUnlabeled(
      pool: pool, labeled: labeled, costPerSlice: probabilities.members * probabilities.classes * probabilities.pixels
    ) { score(probabilities, slice: $0) }
    return RankedSplit.top(scored, labeled: labeled, count: budget)
  }
}
