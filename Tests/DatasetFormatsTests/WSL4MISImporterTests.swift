// WSL4MIS importer on a mini tree written by h5py: split lists, grouping slices into volumes, phases
// from the copied Info.cfg, values kept as stored, and errors for missing datasets and corrupt files.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct WSL4MISImporterTests {
  let importer = WSL4MISImporter(root: Fixtures.path("wsl4mis"))

  @Test func planUsesTheSplitLists() throws {
    let plan = try importer.plan()
    #expect(plan.format == .wsl4mis && plan.classCount == 4)
    let split = Dictionary(uniqueKeysWithValues: plan.patients.map { ($0.id, $0.split) })
    #expect(split == ["patient001": .train, "patient002": .val, "patient003": .test])
    #expect(plan.volumes.count == 6)
    for v in plan.volumes {
      #expect(v.depth == 2 && v.height == 8 && v.width == 9)
      switch v.source {
      case .hdf5Slices(let paths): #expect(v.split == .train && paths.count == 2 && paths[1].hasSuffix("_slice_1.h5"))
      case .hdf5Volume: #expect(v.split != .train)
      default: Issue.record("unexpected source for \(v.key)")
      }
    }
    #expect(plan.volumes.map(\.phase) == ["ED", "ES", "ED", "ES", "ED", "ES"])
    #expect(plan.patients.first?.info["Group"] == "NOR")
    #expect(plan.notes.isEmpty)
  }

  @Test func volumesMatchTheH5Contents() throws {
    let plan = try importer.plan()
    let expected = try Fixtures.expected("wsl4mis.json")
    for entry in plan.volumes {
      let e = try #require(expected[entry.key] as? [String: Any])
      let v = try importer.loadVolume(entry)
      #expect(Fixtures.maxAbsDifference(v.image, Fixtures.doubles(e["image"])) < 1e-6, "kept as stored")
      #expect(v.label?.map(Int.init) == Fixtures.ints(e["label"]))
      if entry.split == .train {
        #expect(v.scribble?.map(Int.init) == Fixtures.ints(e["scribble"]))
      } else {
        #expect(v.scribble == nil)
      }
      #expect(v.slices.map(\.index) == [0, 1] && v.slices.allSatisfy { $0.volumeKey == entry.key })
    }
  }

  @Test func withoutListsASeededPatientSplitIsUsed() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(
      atPath: Fixtures.path("wsl4mis", "ACDC_training_volumes"),
      toPath: dir + "/ACDC_training_volumes")
    let plan = try WSL4MISImporter(root: dir, options: ImportOptions(splitSeed: 4)).plan()
    #expect(plan.volumes.count == 6 && plan.notes.count == 1)
    let again = try WSL4MISImporter(root: dir, options: ImportOptions(splitSeed: 4)).plan()
    #expect(plan.patients == again.patients)
    #expect(Set(plan.patients.map(\.split)).count >= 2)
    #expect(plan.volumes.allSatisfy { v in plan.patients.first { $0.id == v.patientID }?.split == v.split })
  }

  @Test func missingDatasetNamesTheSlice() throws {
    let importer = WSL4MISImporter(root: Fixtures.path("wsl4mis_missing_dataset"))
    let plan = try importer.plan()
    let error = datasetError { _ = try importer.loadVolume(plan.volumes[0]) }
    #expect(error?.code == .hdf5)
    #expect(
      error?.message.contains("patient001_frame01_slice_1.h5") == true && error?.message.contains("scribble") == true)
  }

  @Test func aGapInTheSliceNumbersIsNamed() throws {
    let dir = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let slices = dir + "/ACDC_training_slices"
    try FileManager.default.createDirectory(atPath: slices, withIntermediateDirectories: true)
    let source = Fixtures.path("wsl4mis", "ACDC_training_slices", "patient001_frame12_slice_0.h5")
    try FileManager.default.copyItem(atPath: source, toPath: slices + "/patient001_frame12_slice_0.h5")
    try FileManager.default.copyItem(atPath: source, toPath: slices + "/patient001_frame12_slice_2.h5")
    let error = datasetError { _ = try WSL4MISImporter(root: dir).plan() }
    #expect(error?.code == .missingFile)
    #expect(
      error?.message.contains("slice 1 is missing") == true && error?.message.contains("patient001_frame12") == true)
  }

  @Test func corruptVolumeFileFailsAtPlanning() {
    let error = datasetError { _ = try WSL4MISImporter(root: Fixtures.path("wsl4mis_corrupt")).plan() }
    #expect(error?.code == .hdf5)
    #expect(error?.message.contains("patient001_frame01.h5") == true)
  }
}
