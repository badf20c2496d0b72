// NIfTI-1 reading against nibabel: every datatype, scaling, big-endian, 4D with one frame, orientation
// fields; and the errors for truncated, corrupt, non-NIfTI, short and wrongly shaped files.

import Foundation
import Testing
@testable import DatasetFormats
@testable import Imaging

@Suite struct NIfTIReaderTests {
  static let names = [
    "u8.nii.gz", "i16.nii.gz", "i32.nii", "f32.nii.gz", "f64.nii", "i16_scaled.nii.gz",
    "u8_slope0.nii.gz", "i16_bigendian.nii"
  ]

  @Test(arguments: names)
  func valuesAndHeaderMatchNibabel(name: String) throws {
    let expected = try #require(try Fixtures.expected("nifti.json")[name] as? [String: Any])
    let image = try NIfTIReader.read(Fixtures.path("nifti", name))
    #expect([image.sizeX, image.sizeY, image.sizeZ] == Fixtures.ints(expected["shape_xyz"]))
    let values = Fixtures.doubles(expected["values_zyx"])
    let scale = values.map(abs).max() ?? 1
    #expect(Fixtures.maxAbsDifference(image.values, values) <= 1e-6 * max(scale, 1))
    let spacing = Fixtures.doubles(expected["spacing"])
    #expect(
      abs(image.spacing.0 - spacing[0]) < 1e-6 && abs(image.spacing.1 - spacing[1]) < 1e-6
        && abs(image.spacing.2 - spacing[2]) < 1e-6)
    #expect(image.header.datatype == expected["datatype"] as? Int)
    #expect(image.header.qformCode == expected["qform_code"] as? Int)
    #expect(image.header.sformCode == expected["sform_code"] as? Int)
    let srow = (expected["srow"] as? [[NSNumber]] ?? []).flatMap { $0.map(\.doubleValue) }
    #expect(zip(image.header.srow.flatMap { $0 }, srow).allSatisfy { abs($0 - $1) < 1e-5 })
    #expect(image.header.bigEndian == (expected["big_endian"] as? Bool))
  }

  @Test func valueKindsFollowDatatypeAndScaling() throws {
    #expect(try NIfTIReader.read(Fixtures.path("nifti", "i16.nii.gz")).valueKind == .integer)
    #expect(try NIfTIReader.read(Fixtures.path("nifti", "f32.nii.gz")).valueKind == .float32)
    #expect(try NIfTIReader.read(Fixtures.path("nifti", "f64.nii")).valueKind == .float64)
    #expect(try NIfTIReader.read(Fixtures.path("nifti", "i16_scaled.nii.gz")).valueKind == .float64)
    // Slope 0 means "no scaling": the intercept 7 must be ignored.
    let slope0 = try NIfTIReader.read(Fixtures.path("nifti", "u8_slope0.nii.gz"))
    #expect(slope0.valueKind == .integer && !slope0.header.hasScaling)
  }

  @Test func fourDimensionalWithOneFrameIsAVolume() throws {
    let expected = try #require(try Fixtures.expected("nifti.json")["i16_4d_one_frame.nii.gz"] as? [String: Any])
    let image = try NIfTIReader.read(Fixtures.path("nifti", "i16_4d_one_frame.nii.gz"))
    #expect(image.header.dim[0] == 4)
    #expect(Fixtures.maxAbsDifference(image.values, Fixtures.doubles(expected["values_zyx"])) < 1e-9)
  }

  @Test func twoFileNiftiPair() throws {
    let expected = try #require(try Fixtures.expected("nifti.json")["pair.hdr"] as? [String: Any])
    let image = try NIfTIReader.read(Fixtures.path("nifti", "pair.hdr"))
    #expect(image.header.magic == "ni1")
    #expect(Fixtures.maxAbsDifference(image.values, Fixtures.doubles(expected["values_zyx"])) < 1e-9)
    #expect(abs(image.spacing.2 - 5) < 1e-6)
  }

  @Test func headerOnlyReadIsCheap() throws {
    let header = try NIfTIReader.readHeader(Fixtures.path("nifti", "i16.nii.gz"))
    #expect(Array(header.dim[1...3]) == [5, 4, 3])
    #expect(header.magic == "n+1")
  }

  @Test(arguments: [
    ("i16_4d_two_frames.nii.gz", "wrongDimensionality"), ("i16_2d.nii.gz", "wrongDimensionality"),
    ("truncated.nii.gz", "truncatedFile"), ("corrupt.nii.gz", "corruptFile"),
    ("not_nifti.nii", "corruptFile"), ("short_data.nii", "truncatedFile"),
    ("does_not_exist.nii.gz", "missingFile")
  ])
  func badFilesGiveNamedErrors(name: String, code: String) {
    let path = Fixtures.path("nifti", name)
    let error = datasetError { _ = try NIfTIReader.read(path) }
    #expect(error?.code.rawValue == code)
    #expect(error?.message.contains(name) == true, "message must name the file: \(error?.message ?? "")")
  }
}
