// One loaded volume, preprocessed (clip + min–max) and resized, ready for the storage service.

/// A volume read by `DatasetImporter.loadVolume`; arrays are row-major (z, y, x).
public struct ImportedVolume: Sendable {
  /// Scribble value of unannotated pixels.
  public static let ignoreValue: UInt8 = 4

  public var key: String
  public var patientID: String
  /// "ED", "ES" or "".
  public var phase: String
  public var split: DatasetSplit
  public var depth: Int
  /// Slice size after resizing.
  public var height: Int
  public var width: Int
  /// Slice size in the source.
  public var originalHeight: Int
  public var originalWidth: Int
  /// Source voxel spacing (x, y, z) in mm, before resizing (1 when unknown).
  public var spacing: [Double]
  /// Intensities in [0, 1], D·H·W values.
  public var image: [Float]
  /// Full mask, when the source has one.
  public var label: [UInt8]?
  /// Scribbles (ignore value 4), when the source has them.
  public var scribble: [UInt8]?
  /// The file(s) it was read from.
  public var sourcePath: String

  /// One record per slice.
  public var slices: [SliceRecord] {
    (0..<depth).map { SliceRecord(patientID: patientID, volumeKey: key, phase: phase, index: $0, count: depth) }
  }

  /// The image of slice `z` (H·W values).
  public func imageSlice(_ z: Int) -> ArraySlice<Float> { image[(z * height * width)..<((z + 1) * height * width)] }
}
