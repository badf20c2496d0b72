// ACDC importer on a mini ACDC tree (nibabel-written): plan, phases from Info.cfg, split, preprocessing
// against numpy/skimage, resizing, and one error per kind of broken tree.

import Foundation
import Testing
@testable import DatasetFormats
@testable import Imaging

@Suite struct ACDCImporterTests {
  let importer = ACDCImporter(root: Fixtures.path("acdc"), options: ImportOptions(splitSeed: 3))

  @Test func planFindsPatientsPhasesAndSplit() throws {
    let plan = try importer.plan()
    #expect(plan.classCount == 4 && plan.classNames.count == 4)
    #expect(plan.patients.map(\.id) == ["patient001", "patient002", "patient003"])
    #expect(plan.patients.first { $0.id == "patient003" }?.split == .test, "testing/ folder keeps its split")
    #expect(plan.patients.filter { $0.id != "patient003" }.allSatisfy { $0.split != .test })
    #expect(plan.patients[0].info["Group"] == "DCM")
    #expect(
      plan.volumes.map(\.key) == [
        "patient001_frame01", "patient001_frame12", "patient002_frame01",
        "patient002_frame09", "patient003_frame01", "patient003_frame07"
      ])
    #expect(plan.volumes.map(\.phase) == ["ED", "ES", "ED", "ES", "ED", "ES"])
    let v = plan.volumes[2]
    #expect(v.depth == 2 && v.height == 9 && v.width == 12)
    #expect(v.slices.map(\.index) == [0, 1] && v.slices.allSatisfy { $0.count == 2 && $0.patientID == "patient002" })
    guard case let .nifti(_, label, scribble) = plan.volumes[0].source else { Issue.record("not NIfTI"); return }
    #expect(label != nil && scribble != nil)
    guard case let .nifti(_, _, noScribble) = plan.volumes[2].source else { return }
    #expect(noScribble == nil)
    #expect(plan.sliceCount == 3 + 3 + 2 + 2 + 3 + 3)
  }

  @Test func loadVolumeIsPreprocessedLikeWSL4MIS() throws {
    let plan = try importer.plan()
    let expected = try Fixtures.expected("acdc.json")
    for entry in plan.volumes {
      let e = try #require(expected[entry.key] as? [String: Any])
      let volume = try importer.loadVolume(entry)
      #expect([volume.depth, volume.height, volume.width] == Fixtures.ints(e["shape_dhw"]))
      #expect(Fixtures.maxAbsDifference(volume.image, Fixtures.doubles(e["normalized_zyx"])) < 1e-6)
      #expect(volume.label?.map(Int.init) == Fixtures.ints(e["label_zyx"]))
      if e["scribble_zyx"] != nil { #expect(volume.scribble?.map(Int.init) == Fixtures.ints(e["scribble_zyx"])) }
      #expect(volume.phase == entry.phase && volume.patientID == entry.patientID)
      #expect(abs(volume.spacing[0] - 1.5) < 1e-6 && abs(volume.spacing[2] - 10) < 1e-6)
    }
  }

  @Test func targetSizeResizesEverySliceNearest() throws {
    let resizing = ACDCImporter(
      root: Fixtures.path("acdc"), options: ImportOptions(targetSize: SliceSize(height: 16, width: 16)))
    let entry = try resizing.plan().volumes[0]
    let small = try resizing.loadVolume(entry), full = try importer.loadVolume(entry)
    #expect(small.height == 16 && small.width == 16 && small.originalHeight == 8 && small.originalWidth == 10)
    let expectedLabel = NearestResize.resizeVolume(
      full.label!, depth: 3, height: 8, width: 10, outHeight: 16, outWidth: 16)
    #expect(small.label == expectedLabel)
    #expect(
      small.image == NearestResize.resizeVolume(full.image, depth: 3, height: 8, width: 10, outHeight: 16, outWidth: 16)
    )
    #expect(small.scribble?.count == 3 * 256)
  }

  @Test(arguments: [
    ("acdc_no_cfg", "missingFile", "Info.cfg"), ("acdc_no_mask", "missingFile", "patient001_frame05_gt.nii.gz"),
    ("acdc_shape_mismatch", "shapeMismatch", "patient001_frame05_gt.nii.gz"),
    ("acdc_wrong_dims", "wrongDimensionality", "patient001_frame01.nii.gz"),
    ("no_such_folder", "missingFile", "no_such_folder")
  ])
  func brokenTreesFailAtPlanning(folder: String, code: String, names: String) {
    let error = datasetError { _ = try ACDCImporter(root: Fixtures.path(folder)).plan() }
    #expect(error?.code.rawValue == code)
    #expect(error?.message.contains(names) == true, "\(error?.message ?? "")")
  }

  @Test(arguments: [
    ("acdc_label_range", "labelOutOfRange", "patient001_frame05_gt.nii.gz"),
    ("acdc_truncated", "truncatedFile", "patient001_frame05.nii.gz")
  ])
  func brokenVolumesFailAtLoading(folder: String, code: String, names: String) throws {
    let importer = ACDCImporter(root: Fixtures.path(folder))
    let plan = try importer.plan()
    _ = try importer.loadVolume(plan.volumes[0])
    let error = datasetError { _ = try importer.loadVolume(plan.volumes[1]) }
    #expect(error?.code.rawValue == code)
    #expect(error?.message.contains(names) == true, "\(error?.message ?? "")")
    if code == "labelOutOfRange" { #expect(error?.message.contains("value 7") == true) }
  }
}
