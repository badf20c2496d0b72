// One run of a comparison: a strategy (by label) under one seed.

/// Identifies one active-learning run: one strategy with one seed.
public struct RunKey: Codable, Sendable, Hashable, CustomStringConvertible {
  /// The strategy's label (`StrategySpec.label`).
  public var strategy: String
  /// The run's seed.
  public var seed: UInt64

  public init(strategy: String, seed: UInt64) {
    self.strategy = strategy
    self.seed = seed
  }

  /// `label/seed<seed>`, usable as a folder name when the label is.
  public var description: String { "\(strategy)/seed\(seed)" }
}
