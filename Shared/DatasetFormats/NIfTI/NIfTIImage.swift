// A NIfTI-1 volume in memory: values as float32 in (z, y, x) row-major order, with spacing and orientation.

import Imaging

/// A decoded NIfTI-1 volume.
public struct NIfTIImage: Sendable {
  /// The parsed header (orientation: qform/sform fields are kept as read).
  public var header: NIfTIHeader
  /// Sizes along x (fastest), y and z.
  public var sizeX: Int, sizeY: Int, sizeZ: Int
  /// Voxel values after scl_slope/scl_inter, row-major (z, y, x): index = (z·sizeY + y)·sizeX + x.
  public var values: [Float]
  /// How skimage would histogram these values (integer dtype without scaling → per-integer bins).
  public var valueKind: SourceValueKind

  /// Voxel spacing (x, y, z) from pixdim[1...3].
  public var spacing: (Double, Double, Double) { (header.pixdim[1], header.pixdim[2], header.pixdim[3]) }

  /// Values converted to UInt8 (for masks); nil when a value is negative, above 255 or not an integer.
  public func integerLabels() -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: values.count)
    for (i, v) in values.enumerated() {
      guard v >= 0, v <= 255, v == v.rounded() else { return nil }
      out[i] = UInt8(v)
    }
    return out
  }
}
