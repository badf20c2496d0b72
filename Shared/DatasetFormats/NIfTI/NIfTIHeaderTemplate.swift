// The header of a source NIfTI-1 file kept byte for byte, so that volumes derived from it (a label map, class
// probabilities) are written on the same voxel grid: qform, sform, pixdim (with qfac), xyzt_units, dim_info
// and slice timing are copied as they were; only the fields that describe the new data change.

/// A source file's header, used to write derived volumes with its geometry.
public struct NIfTIHeaderTemplate: Sendable, Equatable {
  /// The source's first 348 bytes, in its own byte order.
  public let bytes: [UInt8]
  /// The same header, parsed.
  public let header: NIfTIHeader
  /// Voxels along x, y and z.
  public let sizeX: Int, sizeY: Int, sizeZ: Int

  /// The header of the NIfTI file at `path` (read alone, cheap even for .nii.gz); it must be a 3D volume.
  public init(path: String) throws {
    try self.init(bytes: Gzip.read(path, limit: 348), path: path)
  }

  /// The header in `bytes` (at least 348 of them); `path` names the file in errors.
  public init(bytes: [UInt8], path: String) throws {
    header = try NIfTIHeader.parse(bytes, path: path)
    (sizeX, sizeY, sizeZ) = try header.volumeShape(path: path)
    self.bytes = Array(bytes.prefix(348))
  }

  /// What a derived volume's header says about its data.
  struct Data {
    /// NIfTI datatype code and bits per voxel (2/8 uint8, 16/32 float32).
    var datatype: Int16
    var bitpix: Int16
    /// Volumes along dim[4]: 1 writes a 3D file, more a 4D one (one frame per class).
    var frames: Int
    /// cal_min and cal_max: the display range of the values.
    var calibration: (min: Double, max: Double)
    /// descrip, cut to 79 bytes.
    var description: String
  }

  /// The 352 bytes (header and an empty extension flag) of a single-file volume with `data`, in the source's
  /// byte order; every field that places voxels in space is the source's.
  func header(for data: Data) -> [UInt8] {
    var out = bytes + [0, 0, 0, 0]
    let bigEndian = header.bigEndian
    func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
      withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) {
        for (i, b) in $0.enumerated() { out[offset + i] = b }
      }
    }
    func putFloat(_ value: Double, _ offset: Int) { put(Float(value).bitPattern, offset) }
    let dims = data.frames > 1 ? [4, sizeX, sizeY, sizeZ, data.frames, 1, 1, 1] : [3, sizeX, sizeY, sizeZ, 1, 1, 1, 1]
    for (i, d) in dims.enumerated() { put(Int16(d), 40 + 2 * i) }
    for offset in [56, 60, 64] { putFloat(0, offset) }  // intent_p1...3
    put(Int16(0), 68)  // intent_code: none
    put(data.datatype, 70)
    put(data.bitpix, 72)
    if data.frames > 1 { putFloat(1, 76 + 4 * 4) }  // pixdim[4]: one class per frame, not a time step
    putFloat(352, 108)  // vox_offset
    putFloat(1, 112)  // scl_slope
    putFloat(0, 116)  // scl_inter
    putFloat(data.calibration.max, 124)
    putFloat(data.calibration.min, 128)
    for offset in [140, 144] { put(Int32(0), offset) }  // glmax, glmin (unused)
    let description = Array(data.description.utf8.prefix(79))
    for i in 0..<80 { out[148 + i] = i < description.count ? description[i] : 0 }
    for i in 0..<16 { out[328 + i] = 0 }  // intent_name
    for (i, b) in [UInt8(ascii: "n"), UInt8(ascii: "+"), UInt8(ascii: "1"), 0].enumerated() { out[344 + i] = b }
    return out
  }
}
