// Filters for listing the slices of a dataset.

/// Which slices to list; nil fields do not filter.
public struct SliceFilter: Sendable, Equatable {
  public var split: Split?
  /// true: only slices with an annotation; false: only slices without one.
  public var labeled: Bool?
  /// Only slices whose latest annotation has this kind.
  public var kind: AnnotationKind?
  /// Only slices of this patient key.
  public var patientKey: String?

  public init(
    split: Split? = nil, labeled: Bool? = nil, kind: AnnotationKind? = nil,
    patientKey: String? = nil
  ) {
    self.split = split
    self.labeled = labeled
    self.kind = kind
    self.patientKey = patientKey
  }
}
