// Who labels the selected slices (method-spec §1.1): the simulation oracle, or people through the
// gateway's annotate calls.

/// Who annotates each round's picks.
public enum Annotators: String, Codable, Sendable, CaseIterable {
  /// The stored ground truth is revealed at once and charged its modelled cost (simulation).
  case oracle
  /// People fetch the picks with `activeseg annotate next` and submit masks; the round waits for all of them.
  case people
}
