// The dataset split a patient (and so each of its slices) belongs to.

/// Train, validation or test split.
public enum Split: String, Sendable, Codable, CaseIterable {
  case train, val, test
}
