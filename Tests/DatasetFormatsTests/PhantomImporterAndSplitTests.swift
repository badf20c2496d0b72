// The phantom cohort as an import format, and the seeded patient split.

import Testing
@testable import DatasetFormats
@testable import Imaging

@Suite struct PhantomImporterAndSplitTests {
  @Test func phantomPlanAndLoad() throws {
    let parameters = PhantomParameters(patients: 10, minSlices: 8, maxSlices: 9, height: 64, width: 64, seed: 2)
    let importer = DatasetImport.importer(
      format: .phantom, root: "", options: ImportOptions(targetSize: SliceSize(height: 32, width: 32)),
      phantom: parameters)
    let plan = try importer.plan()
    #expect(plan.volumes.count == 20 && plan.classCount == 4)
    #expect(plan.patients.filter { $0.split == .train }.count == 7)
    #expect(plan.patients.filter { $0.split == .val }.count == 1)
    #expect(plan.patients.filter { $0.split == .test }.count == 2)
    // ACDC's Group key (and the scanner) are carried per patient; 10 patients hold each of the 5 groups twice.
    let groups = plan.patients.compactMap { $0.info["Group"] }
    #expect(groups.count == 10 && Set(groups) == Set(PhantomGroup.allCases.map(\.rawValue)))
    #expect(plan.patients.allSatisfy { $0.info["Scanner"] != nil })
    let entry = plan.volumes[3]
    #expect(entry.phase == "ES" && entry.patientID == "phantom002")
    let v = try importer.loadVolume(entry)
    #expect(v.height == 32 && v.width == 32 && v.originalHeight == 64 && v.depth == entry.depth)
    #expect(v.image.count == v.depth * 32 * 32 && v.image.allSatisfy { $0 >= 0 && $0 <= 1 })
    // Normalised before the 64→32 resize: the brightest value survives, the single darkest pixel may not.
    #expect(v.image.contains(1) && v.image.min()! < 0.05)
    let label = try #require(v.label), scribble = try #require(v.scribble)
    #expect(zip(label, scribble).allSatisfy { $0.1 == 4 || $0.1 == $0.0 })
  }

  @Test func seededSplitIsDeterministicAndByPatient() {
    let ids = (1...20).map { "p\($0)" }
    let a = PatientSplit.assign(ids, fractions: [0.7, 0.1, 0.2], seed: 5)
    #expect(a == PatientSplit.assign(ids.reversed(), fractions: [0.7, 0.1, 0.2], seed: 5))
    #expect(a != PatientSplit.assign(ids, fractions: [0.7, 0.1, 0.2], seed: 6))
    #expect(a.values.filter { $0 == .train }.count == 14 && a.values.filter { $0 == .test }.count == 4)
    let one = PatientSplit.assign(["x"], fractions: [0.7, 0.1, 0.2], seed: 1)
    #expect(one == ["x": .train])
    let completed = PatientSplit.complete(
      known: ["t1": .test, "t2": .test], all: ["t1", "t2"] + ids,
      fractions: [0.7, 0.1, 0.2], seed: 1)
    #expect(completed["t1"] == .test && completed.values.filter { $0 == .test }.count == 2)
    #expect(completed.values.filter { $0 == .val }.count == 3)  // 20 · 0.1 / 0.8, rounded
  }

  /// From 3 patients on, every split with a fraction gets a patient, so no import ends with an empty split
  /// by rounding alone; 2 patients give train and validation; larger cohorts keep their rounded counts.
  @Test func smallCohortsGetOnePatientPerSplit() {
    func counts(_ n: Int) -> [Int] {
      let split = PatientSplit.assign((1...n).map { "p\($0)" }, fractions: [0.7, 0.1, 0.2], seed: 3)
      return [DatasetSplit.train, .val, .test].map { s in split.values.filter { $0 == s }.count }
    }
    #expect(counts(2) == [1, 1, 0])
    #expect(counts(3) == [1, 1, 1])
    #expect(counts(4) == [2, 1, 1])
    #expect(counts(10) == [7, 1, 2])
    #expect(PatientSplit.assign(["a", "b", "c"], fractions: [1, 0, 0], seed: 1).values.allSatisfy { $0 == .train })
  }
}

@Suite struct ImportOptionsTests {
  @Test func invalidOptionsAndPhantomParametersAreErrorsNotCrashes() {
    let badSplit = datasetError {
      _ = try PhantomImporter(options: ImportOptions(splitFractions: [0.5, -1, 0.2])).plan()
    }
    #expect(badSplit?.code == .invalidMetadata && badSplit?.message.contains("split fractions") == true)
    let badSize = datasetError {
      _ = try ACDCImporter(
        root: Fixtures.path("acdc"), options: ImportOptions(targetSize: SliceSize(height: 0, width: 8))
      ).plan()
    }
    #expect(badSize?.code == .invalidMetadata)
    let badPhantom = datasetError {
      _ = try PhantomImporter(parameters: PhantomParameters(patients: 0, minSlices: 5, maxSlices: 3)).plan()
    }
    #expect(badPhantom?.code == .invalidMetadata)
    #expect(PhantomParameters(patients: 0, minSlices: 5, maxSlices: 3).problems.count == 2)
    #expect(PhantomParameters().problems.isEmpty)
  }
}
