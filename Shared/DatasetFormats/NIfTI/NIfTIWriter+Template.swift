// Writes volumes derived from a source file (a label map, per-class probabilities) with the source's header,
// so they overlay it in any viewer: same affine (qform and sform), spacing, shape and units.

import Foundation

extension NIfTIWriter {
  /// Writes a label map (z, y, x) as uint8 on the grid of `template` (gzip when `path` ends in .gz).
  /// `classes` sets the display range 0...classes−1.
  public static func writeLabels(
    _ labels: [UInt8], like template: NIfTIHeaderTemplate, classes: Int, description: String,
    to path: String
  ) throws {
    let (x, y, z) = (template.sizeX, template.sizeY, template.sizeZ)
    precondition(labels.count == x * y * z, "NIfTIWriter: \(labels.count) labels for \(x)×\(y)×\(z)")
    let header = template.header(
      for: .init(
        datatype: 2, bitpix: 8, frames: 1, calibration: (0, Double(max(classes - 1, 0))),
        description: description))
    try Gzip.write(header + labels, to: path, compress: path.hasSuffix(".gz"))
  }

  /// Writes `frames` float32 volumes on the grid of `template` as one 4D file (x, y, z, frame); `values` are
  /// frame-major, each frame (z, y, x). With frames = 1 the file is 3D.
  public static func writeFrames(
    _ values: [Float], frames: Int, like template: NIfTIHeaderTemplate, description: String,
    to path: String
  ) throws {
    let voxels = template.sizeX * template.sizeY * template.sizeZ
    precondition(
      frames >= 1 && values.count == voxels * frames,
      "NIfTIWriter: \(values.count) values for \(frames) frame(s) of \(voxels) voxels")
    var bytes = template.header(
      for: .init(datatype: 16, bitpix: 32, frames: frames, calibration: (0, 1), description: description))
    bytes.reserveCapacity(bytes.count + 4 * values.count)
    let bigEndian = template.header.bigEndian
    for v in values {
      withUnsafeBytes(of: bigEndian ? v.bitPattern.bigEndian : v.bitPattern.littleEndian) { bytes += $0 }
    }
    try Gzip.write(bytes, to: path, compress: path.hasSuffix(".gz"))
  }
}
