// One 3D volume of a dataset being imported, already resampled to the dataset's slice size.

/// A volume: depth slices of `sliceHeight × sliceWidth` pixels, stored per slice.
public struct VolumeInput: Sendable {
  /// Key of the patient this volume belongs to (must be in the import's patient list).
  public var patientKey: String
  /// Key unique within the dataset, for example `patient001_frame01`.
  public var key: String
  /// Phase (group key of the contrastive loss), for example `ED` or `ES`.
  public var phase: String
  /// Number of slices.
  public var depth: Int
  /// Height of the volume before resampling.
  public var originalHeight: Int
  /// Width of the volume before resampling.
  public var originalWidth: Int
  /// Voxel spacing (x, y, z) in millimetres, before resampling.
  public var spacing: [Double]
  /// Intensities, `(depth, sliceHeight, sliceWidth)` row-major.
  public var image: [Float]
  /// Ground-truth full mask, same layout, values `< classCount`; nil when the dataset has none.
  public var label: [UInt8]?
  /// Ground-truth scribbles, same layout, values `< classCount` or the ignore value; needs `label`.
  public var scribble: [UInt8]?

  public init(
    patientKey: String, key: String, phase: String, depth: Int, originalHeight: Int,
    originalWidth: Int, spacing: [Double], image: [Float], label: [UInt8]?,
    scribble: [UInt8]? = nil
  ) {
    self.patientKey = patientKey
    self.key = key
    self.phase = phase
    self.depth = depth
    self.originalHeight = originalHeight
    self.originalWidth = originalWidth
    self.spacing = spacing
    self.image = image
    self.label = label
    self.scribble = scribble
  }
}
