// nnU-Net raw importer: dataset.json labels, case grouping by patient, seeded split, preprocessing
// against numpy/skimage (float32 images), and a label value outside the declared classes.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct NNUNetImporterTests {
  let importer = NNUNetImporter(root: Fixtures.path("nnunet"), options: ImportOptions(splitSeed: 9))

  @Test func planReadsDatasetJSONAndGroupsPatients() throws {
    let plan = try importer.plan()
    #expect(plan.datasetName == "Dataset027_MiniACDC")
    #expect(plan.classNames == ["background", "RV", "MLV", "LVC"] && plan.classCount == 4)
    #expect(plan.patients.map(\.id) == ["patient001", "patient002", "patient003"])
    #expect(plan.volumes.count == 5)
    #expect(plan.volumes.map(\.phase) == ["ED", "ES", "ED", "ES", ""])
    #expect(plan.volumes.allSatisfy { v in plan.patients.first { $0.id == v.patientID }?.split == v.split })
  }

  @Test func loadedVolumesMatchNumpy() throws {
    let expected = try Fixtures.expected("nnunet.json")
    for entry in try importer.plan().volumes {
      let e = try #require(expected[entry.key] as? [String: Any])
      let v = try importer.loadVolume(entry)
      #expect(Fixtures.maxAbsDifference(v.image, Fixtures.doubles(e["normalized_zyx"])) < 2e-6)
      #expect(v.label?.map(Int.init) == Fixtures.ints(e["label_zyx"]))
      #expect(v.scribble == nil && v.depth == 2 && v.height == 7 && v.width == 9)
    }
  }

  @Test func labelOutsideDeclaredClassesFails() throws {
    let importer = NNUNetImporter(root: Fixtures.path("nnunet_label_range"))
    let plan = try importer.plan()
    let error = datasetError { _ = try importer.loadVolume(plan.volumes[0]) }
    #expect(error?.code == .labelOutOfRange)
    #expect(error?.message.contains("patient001_frame01.nii.gz") == true && error?.message.contains("slice 1") == true)
  }

  @Test func missingDatasetJSON() {
    let error = datasetError { _ = try NNUNetImporter(root: Fixtures.path("acdc")).plan() }
    #expect(error?.code == .missingFile && error?.message.contains("dataset.json") == true)
  }
}
