// The registry of selection strategies by name, as the selector service and experiment
// configs refer to them.

/// Strategy lookup by name.
public enum Strategies {
  /// Every registered strategy with its default settings.
  public static let all: [any SelectionStrategy] = [
    RandomSelection(),
    ForegroundRandomSelection(),
    KCenterGreedySelection(name: "coreset", distance: .pixels),
    KCenterGreedySelection(name: "coreset-embedding", distance: .embeddings),
    KCenterGreedySelection(name: "ours", distance: .ours(OursDistanceConfiguration())),
    KCenterGreedySelection(
      name: "ours-probabilistic", distance: .ours(OursDistanceConfiguration()),
      picking: .probabilistic(temperature: 1, schedule: .constant)),
    EnsembleScoreSelection.entropy,
    EnsembleScoreSelection.varianceRatio,
    StochasticBatchesSelection(),
    BALDSelection(),
    TypiClustSelection()
  ]

  /// Registered names, in registry order.
  public static var names: [String] { all.map(\.name) }

  /// The strategy called `name`; throws `unknownStrategy` listing the valid names.
  public static func named(_ name: String) throws(SelectionError) -> any SelectionStrategy {
    guard let strategy = all.first(where: { $0.name == name }) else {
      throw SelectionError(
        code: .unknownStrategy,
        message: "no selection strategy named '\(name)'; use one of \(names.joined(separator: ", "))")
    }
    return strategy
  }
}
