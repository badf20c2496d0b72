// A slice's identity and group keys, without pixels.

/// A slice id with the keys the contrastive loss groups by, and its labeling state.
public struct SliceInfo: Sendable, Equatable, Hashable {
  public var id: Int64
  public var volumeId: Int64
  public var patientId: Int64
  public var patientKey: String
  public var volumeKey: String
  public var phase: String
  /// Position of the slice in its volume, 0-based.
  public var position: Int
  /// Number of slices in the volume.
  public var countInVolume: Int
  public var split: Split
  /// Kind of the latest annotation, nil when the slice is unlabeled.
  public var labeledKind: AnnotationKind?
}
