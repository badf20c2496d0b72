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

  /// What the strategy reads for every pool slice. This is the one place that says it: the gateway plans its
  /// round steps from it (an encoder for embeddings, a score step for predictions) and the selector fetches
  /// exactly these inputs, so a strategy's inputs never depend on the other strategies of a definition.
  public var inputs: Set<StrategyInput> {
    switch self {
    case .random: []
    case .coreset, .vaal, .coregcn: [.pixels]
    case .coresetEmbedding, .typiclust: [.embeddings]
    case .ours, .oursProbabilistic: [.pixels, .scribbles, .embeddings]
    case .foregroundRandom, .entropy, .varianceRatio, .stochasticBatches: [.predictions]
    case .bald: [.dropoutSummaries]
    }
  }

  /// Whether the strategy needs the contrastive encoder's embeddings (trained once per seed, round 0; §1.6).
  public var needsEmbedding: Bool { inputs.contains(.embeddings) }

  /// Whether the selector reads the trained models' stored predictions: the uncertainty strategies and
  /// foreground-aware random (which looks for predicted foreground). Such runs end each round but the
  /// last by predicting the pool (`score`), and pick round 0 at random, before any model exists.
  public var needsPredictions: Bool { inputs.contains(.predictions) || inputs.contains(.dropoutSummaries) }

  /// All names, comma-separated, for error messages.
  static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One kind of per-slice input a strategy reads.
public enum StrategyInput: String, Sendable, CaseIterable {
  /// The slice's image.
  case pixels
  /// The scribbles of the labeled slices (the centers), for "ours"' pixel term.
  case scribbles
  /// The contrastive encoder's embedding.
  case embeddings
  /// The ensemble's stored class probabilities.
  case predictions
  /// The stored MC-dropout summaries (BALD).
  case dropoutSummaries
}
