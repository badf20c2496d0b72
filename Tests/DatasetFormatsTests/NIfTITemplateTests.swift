// Writing derived volumes with a scan's header (Tests/Fixtures/segment, written by nibabel with a rotated,
// x-flipped, anisotropic affine, sform code 2 and qform code 1): every byte that places voxels in space is
// the scan's, the affine is nibabel's, and labels and 4D probabilities read back as written.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct NIfTITemplateTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/segment").standardizedFileURL

  static func fixture(_ parts: String...) -> String { parts.reduce(folder) { $0.appendingPathComponent($1) }.path }

  static func expected(_ scan: String) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require((json["scans"] as? [String: Any])?[scan] as? [String: Any])
  }

  static func matrix(_ any: Any?) -> [[Double]] { (any as? [[NSNumber]])?.map { $0.map(\.doubleValue) } ?? [] }

  /// The qform affine of NIfTI-1 method 2 (quaternion, qfac in pixdim[0], offsets), as nibabel computes it.
  static func qform(_ h: NIfTIHeader) -> [[Double]] {
    let (b, c, d) = (h.quaternion[0], h.quaternion[1], h.quaternion[2])
    let a = max(0, 1 - (b * b + c * c + d * d)).squareRoot()
    let r = [
      [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
      [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
      [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]
    ]
    let qfac = h.pixdim[0] < 0 ? -1.0 : 1.0
    let zooms = [h.pixdim[1], h.pixdim[2], h.pixdim[3] * qfac]
    return (0..<3).map { i in (0..<3).map { j in r[i][j] * zooms[j] } + [h.qoffset[i]] }
  }

  static func close(_ a: [[Double]], _ b: [[Double]], _ tolerance: Double) -> Bool {
    a.count >= 3 && b.count >= 3
      && (0..<3).allSatisfy { i in (0..<4).allSatisfy { abs(a[i][$0] - b[i][$0]) < tolerance } }
  }

  /// Byte ranges of the header that a derived volume rewrites (dim, intent, datatype, bitpix, pixdim[4],
  /// vox_offset, scaling, cal_min/max, glmax/glmin, descrip, intent_name, magic).
  static let rewritten: [Range<Int>] = [
    40..<56, 56..<70, 70..<74, 92..<96, 108..<120, 124..<132, 140..<148, 148..<228,
    328..<344, 344..<348
  ]

  @Test func aLabelMapKeepsTheScansHeaderAndNibabelsAffine() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let template = try NIfTIHeaderTemplate(path: Self.fixture("scans", "scanA.nii.gz"))
    let mask = try NIfTIReader.read(Self.fixture("masks", "scanA.nii.gz"))
    let labels = try #require(mask.integerLabels())
    let path = dir + "/scanA_seg.nii.gz"
    try NIfTIWriter.writeLabels(labels, like: template, classes: 3, description: "test labels", to: path)

    let written = try Gzip.read(path)
    #expect(written.count == 352 + labels.count)
    for offset in 0..<348 where !Self.rewritten.contains(where: { $0.contains(offset) }) {
      #expect(written[offset] == template.bytes[offset], "header byte \(offset) changed")
    }
    let copy = try NIfTIReader.read(path)
    #expect(copy.integerLabels() == labels)
    #expect(copy.header.datatype == 2 && copy.header.bitpix == 8 && copy.header.dim[0] == 3)
    #expect([copy.sizeX, copy.sizeY, copy.sizeZ] == [60, 50, 5] as [Int])
    #expect(copy.header.srow == template.header.srow && copy.header.quaternion == template.header.quaternion)
    #expect(
      copy.header.qoffset == template.header.qoffset
        && Array(copy.header.pixdim[0...3]) == Array(template.header.pixdim[0...3]))
    #expect(copy.header.sformCode == 2 && copy.header.qformCode == 1 && copy.header.pixdim[0] == -1)

    let expected = try Self.expected("scanA")
    #expect(Self.close(copy.header.srow, Self.matrix(expected["affine"]), 1e-6), "sform \(copy.header.srow)")
    #expect(
      Self.close(Self.qform(copy.header), Self.matrix(expected["qform"]), 1e-5), "qform \(Self.qform(copy.header))")
    let zooms = (expected["zooms"] as? [NSNumber])?.map(\.doubleValue) ?? []
    #expect(zooms.count == 3 && (0..<3).allSatisfy { abs(copy.header.pixdim[$0 + 1] - zooms[$0]) < 1e-6 })
  }

  @Test func probabilitiesAreOneFloat32FramePerClass() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let template = try NIfTIHeaderTemplate(path: Self.fixture("scans", "scanB.nii.gz"))
    let voxels = template.sizeX * template.sizeY * template.sizeZ
    // values: (frame = 3, z, y, x) with frame f holding f + voxel / voxels
    let values = (0..<(3 * voxels)).map { Float($0 / voxels) + Float($0 % voxels) / Float(voxels) }
    let path = dir + "/scanB_prob.nii"
    try NIfTIWriter.writeFrames(values, frames: 3, like: template, description: "test probabilities", to: path)

    let bytes = try Gzip.read(path)
    let header = try NIfTIHeader.parse(bytes, path: path)
    #expect(Array(header.dim[0...4]) == [4, 66, 55, 4, 3])
    #expect(header.datatype == 16 && header.bitpix == 32 && header.voxOffset == 352 && header.pixdim[4] == 1)
    #expect(
      header.srow == template.header.srow && header.quaternion == template.header.quaternion && header.pixdim[0] == -1)
    let reader = ByteReader(bytes: bytes, bigEndian: header.bigEndian)
    #expect(bytes.count == 352 + 4 * values.count)
    #expect((0..<values.count).allSatisfy { reader.float32(352 + 4 * $0) == values[$0] })
  }

  @Test func aBigEndianScanGetsBigEndianOutputs() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let template = try NIfTIHeaderTemplate(path: Self.fixture("bigendian", "scanC.nii.gz"))
    #expect(template.header.bigEndian && [template.sizeX, template.sizeY, template.sizeZ] == [12, 10, 3] as [Int])
    let voxels = 12 * 10 * 3
    let labels = (0..<voxels).map { UInt8($0 % 2) }
    try NIfTIWriter.writeLabels(
      labels, like: template, classes: 2, description: "big-endian labels", to: dir + "/labels.nii.gz")
    let copy = try NIfTIReader.read(dir + "/labels.nii.gz")
    #expect(copy.header.bigEndian && copy.integerLabels() == labels && copy.header.srow == template.header.srow)
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
      as? [String: Any]
    let affine = Self.matrix((json?["bigendian"] as? [String: Any])?["affine"])
    #expect(Self.close(copy.header.srow, affine, 1e-6) && Self.close(Self.qform(copy.header), affine, 1e-5))

    let values = (0..<(2 * voxels)).map { Float($0) / Float(2 * voxels) }
    try NIfTIWriter.writeFrames(
      values, frames: 2, like: template, description: "big-endian probabilities", to: dir + "/prob.nii.gz")
    let bytes = try Gzip.read(dir + "/prob.nii.gz")
    let header = try NIfTIHeader.parse(bytes, path: "prob.nii.gz")
    let reader = ByteReader(bytes: bytes, bigEndian: true)
    #expect(
      header.bigEndian && header.dim[4] == 2
        && (0..<values.count).allSatisfy { reader.float32(352 + 4 * $0) == values[$0] })
  }

  @Test func aTwoDimensionalImageIsNoTemplate() {
    let error = datasetError { _ = try NIfTIHeaderTemplate(path: Self.fixture("not3d.nii.gz")) }
    #expect(error?.code == .wrongDimensionality)
    #expect(error?.message.contains("not3d.nii.gz") == true)
  }
}
