// How the oracle annotates a selected slice: scribbles (weak) or full masks.

/// The kind of annotation the oracle returns (method-spec §8 `ann_type`).
public enum Supervision: String, Codable, Sendable, CaseIterable {
  /// Scribbles; trained with DMPLS (method-spec §2.3).
  case scribble
  /// Full masks; trained with CE + Dice (method-spec §2.4).
  case full
}
