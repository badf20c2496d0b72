// Every kind of bad import input gets its own error naming the volume (and slice), and leaves
// the database exactly as it was; the same import then succeeds once fixed.

import Foundation
import Persistence
import Testing

/// One bad-input case: how to spoil the tiny dataset, and what the error must say.
struct BadImportCase: Sendable, CustomTestStringConvertible {
  let name: String
  let spoil: @Sendable (inout [PatientInput], inout [VolumeInput]) -> Void
  let fragments: [String]
  var testDescription: String { name }

  static let all: [BadImportCase] = [
    BadImportCase(
      name: "image too short", spoil: { _, v in v[3].image.removeLast() },
      fragments: ["p1_ES", "image has 59 values", "60"]),
    BadImportCase(
      name: "label wrong size", spoil: { _, v in v[1].label?.append(0) },
      fragments: ["p0_ES", "label has 61 values"]),
    BadImportCase(
      name: "scribble wrong size", spoil: { _, v in v[4].scribble = [0, 1] },
      fragments: ["p2_ED", "scribble has 2 values"]),
    BadImportCase(
      name: "label value out of range", spoil: { _, v in v[2].label![2 * 20 + 7] = 4 },
      fragments: ["p1_ED", "slice 2", "label value 4", "class count 4"]),
    BadImportCase(
      name: "scribble value out of range", spoil: { _, v in v[5].scribble![20 + 3] = 9 },
      fragments: ["p2_ES", "slice 1", "scribble value 9"]),
    BadImportCase(
      name: "non-finite intensity", spoil: { _, v in v[0].image[45] = .nan },
      fragments: ["p0_ED", "slice 2", "non-finite"]),
    BadImportCase(
      name: "unknown patient", spoil: { _, v in v[5].patientKey = "p9" },
      fragments: ["p2_ES", "'p9'", "not in the patient list"]),
    BadImportCase(
      name: "duplicate volume key", spoil: { _, v in v[3].key = "p1_ED" },
      fragments: ["'p1_ED'", "twice"]),
    BadImportCase(
      name: "scribble without label", spoil: { _, v in v[0].label = nil },
      fragments: ["p0_ED", "scribbles but no full label"]),
    BadImportCase(
      name: "bad spacing", spoil: { _, v in v[2].spacing = [1, 1] },
      fragments: ["p1_ED", "spacing"]),
    BadImportCase(
      name: "zero original size", spoil: { _, v in v[4].originalWidth = 0 },
      fragments: ["p2_ED", "original size 8×0"]),
    BadImportCase(
      name: "zero depth", spoil: { _, v in v[2].depth = 0 },
      fragments: ["p1_ED", "depth 0"]),
    BadImportCase(
      name: "duplicate patient", spoil: { p, _ in p.append(PatientInput(key: "p0", split: .test)) },
      fragments: ["'p0'", "twice"]),
    BadImportCase(
      name: "patient info not JSON", spoil: { p, _ in p[1].infoJSON = "{oops" },
      fragments: ["'p1'", "not valid JSON"]),
    BadImportCase(
      name: "no volumes", spoil: { _, v in v = [] },
      fragments: ["no volumes"])
  ]
}

@Suite struct BadImportTests {
  @Test(arguments: BadImportCase.all)
  func badInputIsRejectedAtomically(_ badCase: BadImportCase) throws {
    // An existing dataset must survive untouched.
    let (store, _) = try TinyDataset.store()
    let before = try store.rowCounts()
    var patients = TinyDataset.patients
    var volumes = TinyDataset.volumes
    badCase.spoil(&patients, &volumes)
    let error = #expect(throws: StoreError.self) {
      try store.importDataset(
        TinyDataset.header(name: "bad"), patients: patients,
        volumes: TinyDataset.stream(volumes), actor: "test")
    }
    #expect(error?.code == .invalidInput)
    for fragment in badCase.fragments {
      #expect(error?.message.contains(fragment) == true, "message '\(error?.message ?? "")' lacks '\(fragment)'")
    }
    #expect(try store.rowCounts() == before)
    #expect(try store.dataset(named: "bad") == nil)
    // The corrected import runs again under the same name.
    try store.importDataset(
      TinyDataset.header(name: "bad"), patients: TinyDataset.patients,
      volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    #expect(try store.dataset(named: "bad")?.sliceCount == 18)
  }

  struct ReaderFailure: Error {}

  @Test func anErrorFromTheVolumeStreamRollsBackAndPassesThrough() throws {
    let store = try Store.temporary()
    var produced = 0
    #expect(throws: ReaderFailure.self) {
      try store.importDataset(
        TinyDataset.header(), patients: TinyDataset.patients,
        volumes: {
          produced += 1
          if produced == 4 { throw ReaderFailure() }
          return TinyDataset.volume(produced - 1)
        }, actor: "test")
    }
    #expect(produced == 4)
    #expect(try store.rowCounts().values.allSatisfy { $0 == 0 })
  }

  @Test func badHeadersAreRejected() throws {
    let store = try Store.temporary()
    var header = TinyDataset.header()
    header.classNames = []
    let noClasses = #expect(throws: StoreError.self) {
      try store.importDataset(
        header, patients: TinyDataset.patients, volumes: TinyDataset.stream(TinyDataset.volumes), actor: "t")
    }
    #expect(noClasses?.message.contains("0 classes") == true)
    header = TinyDataset.header(name: "")
    let noName = #expect(throws: StoreError.self) {
      try store.importDataset(
        header, patients: TinyDataset.patients, volumes: TinyDataset.stream(TinyDataset.volumes), actor: "t")
    }
    #expect(noName?.code == .invalidInput)
    #expect(try store.rowCounts().values.allSatisfy { $0 == 0 })
  }
}
