// Reads NIfTI-1 volumes (.nii, .nii.gz, and .hdr/.img pairs with magic "ni1") into float32 arrays.

import Foundation
import Imaging

/// NIfTI-1 file reading.
public enum NIfTIReader {
  /// Reads only the header of `path` (cheap, even for .nii.gz) and validates the volume shape.
  public static func readHeader(_ path: String) throws -> NIfTIHeader {
    let header = try NIfTIHeader.parse(Gzip.read(path, limit: 348), path: path)
    _ = try header.volumeShape(path: path)
    return header
  }

  /// Reads and decodes the whole volume at `path`.
  public static func read(_ path: String) throws -> NIfTIImage {
    var bytes = try Gzip.read(path)
    let header = try NIfTIHeader.parse(bytes, path: path)
    let (nx, ny, nz) = try header.volumeShape(path: path)
    var offset = Int(header.voxOffset)
    var dataPath = path
    if header.magic == "ni1" {
      dataPath = try imagePath(forHeader: path)
      bytes = try Gzip.read(dataPath)
      offset = Int(header.voxOffset)
    } else if offset < 348 {
      offset = 352
    }
    let count = nx * ny * nz
    let size = NIfTIHeader.bytesPerVoxel(header.datatype)!
    guard bytes.count >= offset + count * size else {
      throw DatasetError(
        code: .truncatedFile,
        message:
          "\(dataPath) holds \(max(0, bytes.count - offset)) data bytes but its header (\(nx)×\(ny)×\(nz) \(NIfTIHeader.datatypeName(header.datatype))) needs \(count * size); the file is truncated, re-download or re-export it",
        path: dataPath)
    }
    let r = ByteReader(bytes: bytes, bigEndian: header.bigEndian)
    var values = [Float](repeating: 0, count: count)
    switch header.datatype {
    case 2: for i in 0..<count { values[i] = Float(bytes[offset + i]) }
    case 256: for i in 0..<count { values[i] = Float(Int8(bitPattern: bytes[offset + i])) }
    case 4: for i in 0..<count { values[i] = Float(r.int16(offset + 2 * i)) }
    case 512: for i in 0..<count { values[i] = Float(UInt16(bitPattern: r.int16(offset + 2 * i))) }
    case 8: for i in 0..<count { values[i] = Float(r.int32(offset + 4 * i)) }
    case 16: for i in 0..<count { values[i] = r.float32(offset + 4 * i) }
    default: for i in 0..<count { values[i] = Float(r.float64(offset + 8 * i)) }
    }
    var kind: SourceValueKind = header.datatype == 16 ? .float32 : header.datatype == 64 ? .float64 : .integer
    if header.hasScaling {
      let slope = header.sclSlope, inter = header.sclInter.isFinite ? header.sclInter : 0
      for i in 0..<count { values[i] = Float(Double(values[i]) * slope + inter) }
      kind = .float64
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw DatasetError(
        code: .corruptFile,
        message: "\(path) contains a non-finite value at voxel \(bad); fix or mask it before import", path: path)
    }
    return NIfTIImage(header: header, sizeX: nx, sizeY: ny, sizeZ: nz, values: values, valueKind: kind)
  }

  /// The .img file that goes with a "ni1" .hdr file.
  static func imagePath(forHeader path: String) throws -> String {
    for (suffix, replacement) in [(".hdr.gz", ".img.gz"), (".hdr", ".img")] where path.hasSuffix(suffix) {
      let candidate = String(path.dropLast(suffix.count)) + replacement
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
    }
    throw DatasetError(
      code: .missingFile,
      message: "\(path) is a two-file NIfTI (magic ni1) but its .img file is missing; put it next to the .hdr",
      path: path)
  }
}
