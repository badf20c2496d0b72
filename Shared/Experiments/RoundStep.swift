// One step of one active-learning round; its `kind` raw value is what gets persisted as a
// round's last finished step.

/// One step of one round.
public struct RoundStep: Codable, Sendable, Hashable, CustomStringConvertible {
  /// What a step does; raw values are the persisted strings.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// Train the contrastive encoder and embed the pool (once per experiment, round 0).
    case embed
    /// Choose the round's new slices.
    case select
    /// Reveal the oracle's labels (or wait for annotators) for the selected slices.
    case annotate
    /// Train the ensemble members on the labeled set.
    case train
    /// Evaluate the members on validation and test volumes.
    case evaluate
    /// Score the pool with the trained ensemble for the next round's selection.
    case score
  }

  /// Round index, 0 = initial pool.
  public var round: Int
  /// What the step does.
  public var kind: Kind

  public init(round: Int, kind: Kind) {
    self.round = round
    self.kind = kind
  }

  public var description: String { "round \(round) \(kind.rawValue)" }
}
