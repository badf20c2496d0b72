// The selection strategies an experiment can compare (method-spec §4–5), and which
// extra round steps each one needs.

/// A selection strategy, spelled as in experiment YAML files.
public enum StrategyName: String, Codable, Sendable, CaseIterable {
  case random
  case foregroundRandom = "foreground-random"
  case coreset
  case coresetEmbedding = "coreset-embedding"
  case ours
  case oursProbabilistic = "ours-probabilistic"
  case entropy
  case varianceRatio = "variance-ratio"
  case stochasticBatches = "stochastic-batches"
  case bald
  case typiclust
  case vaal
  case coregcn

  /// Whether the strategy needs the contrastive encoder's embeddings (trained once, round 0; §1.6).
  public var needsEmbedding: Bool {
    switch self {
    case .coresetEmbedding, .ours, .oursProbabilistic, .typiclust: true
    default: false
    }
  }

  /// Whether the strategy ranks by model uncertainty, scored by the trained ensemble after
  /// training and used in the next round (method-spec §1.4, §5.4–5.7).
  public var isUncertainty: Bool {
    switch self {
    case .entropy, .varianceRatio, .stochasticBatches, .bald: true
    default: false
    }
  }

  /// Whether the selector reads the trained models' stored predictions: the uncertainty strategies and
  /// foreground-aware random (which looks for predicted foreground). Such runs end each round but the
  /// last by predicting the pool (`score`), and pick round 0 at random, before any model exists.
  public var needsPredictions: Bool { isUncertainty || self == .foregroundRandom }

  /// All names, comma-separated, for error messages.
  static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
