// Writes single-file NIfTI-1 volumes (uint8 masks or float32 images), optionally gzip-compressed.

import Foundation

/// NIfTI-1 file writing.
public enum NIfTIWriter {
  /// Voxel datatype to write.
  public enum DataType: Sendable {
    case uint8, float32
  }

  /// Writes a (z, y, x) row-major volume of `values` to `path` (gzip when the name ends in .gz).
  /// `spacing` is (x, y, z) in mm; the sform/qform are the plain scaling matrix with code 1 (scanner),
  /// unless `orientation` supplies a header whose qform/sform fields are copied.
  public static func write(
    _ values: [Float], sizeX: Int, sizeY: Int, sizeZ: Int, spacing: (Double, Double, Double),
    dataType: DataType, to path: String, orientation: NIfTIHeader? = nil
  ) throws {
    precondition(
      values.count == sizeX * sizeY * sizeZ, "NIfTIWriter: \(values.count) values for \(sizeX)×\(sizeY)×\(sizeZ)")
    var header = [UInt8](repeating: 0, count: 352)
    func put<T: FixedWidthInteger>(_ v: T, _ offset: Int) {
      withUnsafeBytes(of: v.littleEndian) { for (i, b) in $0.enumerated() { header[offset + i] = b } }
    }
    func putFloat(_ v: Double, _ offset: Int) { put(Float(v).bitPattern, offset) }
    put(Int32(348), 0)
    header[38] = UInt8(ascii: "r")
    for (i, d) in [3, sizeX, sizeY, sizeZ, 1, 1, 1, 1].enumerated() { put(Int16(d), 40 + 2 * i) }
    let (code, bits): (Int16, Int16) = dataType == .uint8 ? (2, 8) : (16, 32)
    put(code, 70)
    put(bits, 72)
    for (i, p) in [1.0, spacing.0, spacing.1, spacing.2, 1, 1, 1, 1].enumerated() { putFloat(p, 76 + 4 * i) }
    putFloat(352, 108)
    putFloat(1, 112)
    header[123] = 2 | 8  // mm, seconds
    let qform = orientation?.qformCode ?? 1, sform = orientation?.sformCode ?? 1
    put(Int16(qform), 252)
    put(Int16(sform), 254)
    for (i, q) in (orientation?.quaternion ?? [0, 0, 0]).enumerated() { putFloat(q, 256 + 4 * i) }
    for (i, q) in (orientation?.qoffset ?? [0, 0, 0]).enumerated() { putFloat(q, 268 + 4 * i) }
    let rows = orientation?.srow ?? [[spacing.0, 0, 0, 0], [0, spacing.1, 0, 0], [0, 0, spacing.2, 0]]
    for (r, row) in rows.enumerated() { for (c, v) in row.enumerated() { putFloat(v, 280 + 16 * r + 4 * c) } }
    for (i, b) in "n+1".utf8.enumerated() { header[344 + i] = b }
    var bytes = header
    switch dataType {
    case .uint8:
      bytes += values.map { UInt8(clamping: Int($0.rounded())) }
    case .float32:
      bytes.reserveCapacity(352 + 4 * values.count)
      for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    }
    try Gzip.write(bytes, to: path, compress: path.hasSuffix(".gz"))
  }

  /// Writes a uint8 mask volume.
  public static func writeMask(
    _ labels: [UInt8], sizeX: Int, sizeY: Int, sizeZ: Int,
    spacing: (Double, Double, Double), to path: String
  ) throws {
    try write(
      labels.map(Float.init), sizeX: sizeX, sizeY: sizeY, sizeZ: sizeZ, spacing: spacing,
      dataType: .uint8, to: path)
  }
}
