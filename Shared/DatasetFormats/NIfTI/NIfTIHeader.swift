// The NIfTI-1 header (348 bytes): parsing with endianness detection and validation, and serialisation.
// Layout: https://nifti.nimh.nih.gov/pub/dist/src/niftilib/nifti1.h

/// The fields of a NIfTI-1 header that ActiveSeg uses; orientation (qform/sform) is kept verbatim.
public struct NIfTIHeader: Sendable, Equatable {
  /// dim[0...7]: dim[0] is the number of dimensions.
  public var dim: [Int]
  /// NIfTI datatype code (2 uint8, 4 int16, 8 int32, 16 float32, 64 float64, 256 int8, 512 uint16).
  public var datatype: Int
  public var bitpix: Int
  /// pixdim[0...7]; pixdim[1...3] are the voxel sizes (x, y, z).
  public var pixdim: [Double]
  public var voxOffset: Double
  public var sclSlope: Double
  public var sclInter: Double
  public var qformCode: Int
  public var sformCode: Int
  /// quatern_b, quatern_c, quatern_d.
  public var quaternion: [Double]
  /// qoffset_x, qoffset_y, qoffset_z.
  public var qoffset: [Double]
  /// srow_x, srow_y, srow_z (4 values each).
  public var srow: [[Double]]
  /// "n+1" (single file) or "ni1" (separate .img).
  public var magic: String
  /// Whether the file was big-endian.
  public var bigEndian: Bool

  /// Bytes per voxel for the supported datatypes, nil for others.
  public static func bytesPerVoxel(_ datatype: Int) -> Int? {
    switch datatype {
    case 2, 256: 1
    case 4, 512: 2
    case 8, 16: 4
    case 64: 8
    default: nil
    }
  }

  /// Human-readable name of a datatype code.
  public static func datatypeName(_ datatype: Int) -> String {
    [
      2: "uint8", 4: "int16", 8: "int32", 16: "float32", 64: "float64", 256: "int8", 512: "uint16",
      128: "rgb24", 32: "complex64", 768: "uint32", 1024: "int64"
    ][datatype] ?? "code \(datatype)"
  }

  // MARK: - Parsing

  /// Parses and validates the first 348 bytes of `bytes`; `path` names the file in errors.
  public static func parse(_ bytes: [UInt8], path: String) throws -> NIfTIHeader {
    guard bytes.count >= 348 else {
      throw DatasetError(
        code: .truncatedFile,
        message:
          "\(path) has only \(bytes.count) bytes, less than a NIfTI-1 header (348); the file is truncated or not NIfTI",
        path: path)
    }
    let le = ByteReader(bytes: bytes, bigEndian: false)
    let bigEndian: Bool
    if le.int32(0) == 348 {
      bigEndian = false
    } else if le.int32(0).byteSwapped == 348 {
      bigEndian = true
    } else {
      throw DatasetError(
        code: .corruptFile,
        message:
          "\(path) is not a NIfTI-1 file (sizeof_hdr is \(le.int32(0)), expected 348); NIfTI-2 and ANALYZE are not supported, convert with nibabel or SimpleITK",
        path: path)
    }
    let r = ByteReader(bytes: bytes, bigEndian: bigEndian)
    let magic = String(decoding: bytes[344..<347], as: UTF8.self)
    guard magic == "n+1" || magic == "ni1", bytes[347] == 0 else {
      throw DatasetError(
        code: .corruptFile,
        message:
          "\(path) has NIfTI magic \"\(magic)\", expected \"n+1\" or \"ni1\"; the header is damaged or the file is ANALYZE 7.5",
        path: path)
    }
    // vox_offset is a float: a damaged one (NaN, negative, beyond any file) must not reach Int(_:), which traps.
    let voxOffset = Double(r.float32(108))
    guard voxOffset.isFinite, voxOffset >= 0, voxOffset <= Double(Int32.max) else {
      throw DatasetError(
        code: .corruptFile,
        message:
          "\(path) has vox_offset \(voxOffset), which is not a byte offset into the file (0 to \(Int32.max)); the header is damaged, re-export the file",
        path: path)
    }
    return NIfTIHeader(
      dim: (0..<8).map { Int(r.int16(40 + 2 * $0)) }, datatype: Int(r.int16(70)), bitpix: Int(r.int16(72)),
      pixdim: (0..<8).map { Double(r.float32(76 + 4 * $0)) }, voxOffset: voxOffset,
      sclSlope: Double(r.float32(112)), sclInter: Double(r.float32(116)),
      qformCode: Int(r.int16(252)), sformCode: Int(r.int16(254)),
      quaternion: (0..<3).map { Double(r.float32(256 + 4 * $0)) },
      qoffset: (0..<3).map { Double(r.float32(268 + 4 * $0)) },
      srow: (0..<3).map { row in (0..<4).map { Double(r.float32(280 + 16 * row + 4 * $0)) } },
      magic: magic, bigEndian: bigEndian)
  }

  /// Checks that this is a 3D volume (or 4D with one frame) of a supported datatype; returns (x, y, z) sizes.
  public func volumeShape(path: String) throws -> (x: Int, y: Int, z: Int) {
    let n = dim[0]
    guard n == 3 || (n == 4 && dim[4] == 1) else {
      let shape = n >= 1 && n <= 7 ? dim[1...n].map(String.init).joined(separator: "×") : "dim[0]=\(n)"
      throw DatasetError(
        code: .wrongDimensionality,
        message:
          "\(path) has shape \(shape); a 3D volume (or 4D with one frame) is expected. For ACDC use the per-frame files patientXXX_frameYY.nii.gz, not the _4d file",
        path: path)
    }
    guard dim[1] > 0, dim[2] > 0, dim[3] > 0 else {
      throw DatasetError(
        code: .corruptFile, message: "\(path) has non-positive dimensions \(dim[1])×\(dim[2])×\(dim[3])", path: path)
    }
    guard let size = Self.bytesPerVoxel(datatype), size * 8 == bitpix else {
      throw DatasetError(
        code: .unsupported,
        message:
          "\(path) has datatype \(Self.datatypeName(datatype)) (bitpix \(bitpix)); supported are uint8, int8, int16, uint16, int32, float32 and float64. Convert it with nibabel",
        path: path)
    }
    return (dim[1], dim[2], dim[3])
  }

  /// Whether `scl_slope`/`scl_inter` change values (slope 0 or non-finite means no scaling).
  public var hasScaling: Bool {
    sclSlope != 0 && sclSlope.isFinite && !(sclSlope == 1 && (sclInter == 0 || !sclInter.isFinite))
  }
}

/// Reads little- or big-endian numbers out of a byte array.
struct ByteReader {
  let bytes: [UInt8]
  let bigEndian: Bool

  func raw<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
    var v: T = 0
    withUnsafeMutableBytes(of: &v) { dst in
      for i in 0..<MemoryLayout<T>.size { dst[i] = bytes[offset + i] }
    }
    return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
  }
  func int16(_ o: Int) -> Int16 { raw(o, Int16.self) }
  func int32(_ o: Int) -> Int32 { raw(o, Int32.self) }
  func float32(_ o: Int) -> Float { Float(bitPattern: raw(o, UInt32.self)) }
  func float64(_ o: Int) -> Double { Double(bitPattern: raw(o, UInt64.self)) }
}
