// How round 0 (the initial pool) is chosen (method-spec §1.4).

/// Who picks the initial pool in round 0.
public enum InitialSelection: String, Codable, Sendable, CaseIterable {
  /// The strategy itself (random for uncertainty strategies, which have no scores yet).
  case strategy
  /// A seeded random split, as the VAAL yml's `[.01, 0, random, True]` round 0.
  case random
}
