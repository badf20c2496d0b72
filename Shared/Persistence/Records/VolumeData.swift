// A whole volume, slices stacked in position order, for evaluation.

/// A volume's stacked slices; `label` is present only for val/test volumes with ground truth.
public struct VolumeData: Sendable, Equatable {
  public var id: Int64
  public var key: String
  public var patientKey: String
  public var phase: String
  public var split: Split
  public var depth: Int
  public var height: Int
  public var width: Int
  public var originalHeight: Int
  public var originalWidth: Int
  /// Voxel spacing (x, y, z) in millimetres.
  public var spacing: [Double]
  /// Slice ids in position order.
  public var sliceIds: [Int64]
  /// Intensities, `(depth, height, width)`.
  public var image: [Float]
  /// Ground-truth full mask, `(depth, height, width)`; nil for train volumes or without ground truth.
  public var label: [UInt8]?
}
