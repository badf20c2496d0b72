// NIfTI writing: uint8 and float32, gzip or not, read back by the reader.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct NIfTIWriterTests {
  @Test(arguments: [("mask.nii.gz", true), ("mask.nii", false)])
  func uint8MaskRoundTrip(name: String, gzipped: Bool) throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/" + name
    // labels: (z=2, y=3, x=4)
    let labels = (0..<24).map { UInt8($0 % 4) }
    try NIfTIWriter.writeMask(labels, sizeX: 4, sizeY: 3, sizeZ: 2, spacing: (1.5, 1.5, 8), to: path)
    let bytes = try #require(FileManager.default.contents(atPath: path))
    #expect((bytes.prefix(2) == Data([0x1F, 0x8B])) == gzipped)
    let image = try NIfTIReader.read(path)
    #expect(image.integerLabels() == labels)
    #expect(image.header.datatype == 2 && image.valueKind == .integer)
    #expect(abs(image.spacing.2 - 8) < 1e-6)
  }

  @Test func float32RoundTripKeepsOrientation() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let source = try NIfTIReader.read(Fixtures.path("nifti", "f32.nii.gz"))
    let path = dir + "/copy.nii.gz"
    try NIfTIWriter.write(
      source.values, sizeX: source.sizeX, sizeY: source.sizeY, sizeZ: source.sizeZ,
      spacing: source.spacing, dataType: .float32, to: path, orientation: source.header)
    let copy = try NIfTIReader.read(path)
    #expect(copy.values == source.values)
    #expect(copy.header.srow == source.header.srow)
    #expect(copy.header.sformCode == source.header.sformCode && copy.header.qoffset == source.header.qoffset)
    #expect(copy.valueKind == .float32)
  }

  @Test func writingIntoAMissingFolderFails() {
    let error = datasetError {
      try NIfTIWriter.writeMask(
        [0], sizeX: 1, sizeY: 1, sizeZ: 1, spacing: (1, 1, 1), to: "/nonexistent-folder/x.nii.gz")
    }
    #expect(error?.code == .io)
  }
}
