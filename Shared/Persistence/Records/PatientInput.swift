// One patient of a dataset being imported.

/// A patient: a key unique in the dataset, its split, and free-form info as JSON.
public struct PatientInput: Sendable, Equatable {
  /// Key unique within the dataset, for example `patient001`.
  public var key: String
  /// The split every slice of this patient belongs to.
  public var split: Split
  /// Free-form metadata as a JSON object text (for example ACDC's Info.cfg).
  public var infoJSON: String

  public init(key: String, split: Split, infoJSON: String = "{}") {
    self.key = key
    self.split = split
    self.infoJSON = infoJSON
  }
}
