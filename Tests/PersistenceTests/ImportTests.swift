// Dataset import: round trip through the queries, and atomic failure on every kind of bad input.

import Foundation
import Persistence
import Testing

@Suite struct ImportTests {
  @Test func importRoundTripsThroughQueries() throws {
    let (store, info) = try TinyDataset.store()
    #expect(info.name == "tiny")
    #expect(info.classNames == ["bg", "rv", "myo", "lv"])
    #expect(info.classCount == 4)
    #expect(info.sliceHeight == 4 && info.sliceWidth == 5)
    #expect(info.sliceCount == 18)
    #expect(try store.datasets().map(\.name) == ["tiny"])

    let all = try store.slices(datasetId: info.id)
    #expect(all.count == 18)
    // Group keys: volume, patient, phase, position, count in volume.
    let first = all[0]
    #expect(first.patientKey == "p0" && first.volumeKey == "p0_ED" && first.phase == "ED")
    #expect(all.prefix(3).map(\.position) == [0, 1, 2])
    #expect(all.allSatisfy { $0.countInVolume == 3 && $0.labeledKind == nil })
    #expect(Set(all.map(\.volumeId)).count == 6 && Set(all.map(\.patientId)).count == 3)
    #expect(try store.slices(datasetId: info.id, filter: SliceFilter(split: .val)).allSatisfy { $0.patientKey == "p1" })
    #expect(try store.slices(datasetId: info.id, filter: SliceFilter(split: .test)).count == 6)
    #expect(
      try store.slices(datasetId: info.id, filter: SliceFilter(patientKey: "p2")).allSatisfy { $0.split == .test })

    // Batch fetch, in the requested order, values exact (float32 round trip).
    let wanted = [all[7].id, all[0].id, all[17].id]
    let images = try store.images(ids: wanted)
    #expect(images.map(\.id) == wanted)
    // all[7] is volume 2 (p1_ED), slice 1.
    for (image, (v, z)) in zip(images, [(2, 1), (0, 0), (5, 2)]) {
      #expect(image.height == 4 && image.width == 5 && image.pixels.count == 20)
      for i in 0..<20 { #expect(abs(image.pixels[i] - TinyDataset.pixel(v, z, i)) < 1e-6) }
    }
  }

  @Test func volumesStackSlicesAndServeGroundTruthOnlyForValAndTest() throws {
    let (store, info) = try TinyDataset.store()
    let trainIds = try store.volumeIds(datasetId: info.id, split: .train)
    let valIds = try store.volumeIds(datasetId: info.id, split: .val)
    #expect(trainIds.count == 2 && valIds.count == 2)
    #expect(try store.volumeIds(datasetId: info.id).count == 6)

    let val = try store.volume(id: valIds[1])  // volume 3: p1_ES
    #expect(val.key == "p1_ES" && val.patientKey == "p1" && val.phase == "ES" && val.split == .val)
    #expect(val.depth == 3 && val.height == 4 && val.width == 5)
    #expect(val.originalHeight == 8 && val.originalWidth == 10)
    #expect(val.spacing.count == 3 && abs(val.spacing[2] - 10) < 1e-9)
    #expect(val.sliceIds.count == 3)
    #expect(val.image.count == 60)
    for z in 0..<3 {
      for i in 0..<20 { #expect(abs(val.image[z * 20 + i] - TinyDataset.pixel(3, z, i)) < 1e-6) }
    }
    #expect(val.label == (0..<3).flatMap { z in (0..<20).map { TinyDataset.label(3, z, $0) } })

    let train = try store.volume(id: trainIds[0])
    #expect(train.label == nil)
    #expect(train.image.count == 60)

    let missing = #expect(throws: StoreError.self) { try store.volume(id: 9999) }
    #expect(missing?.code == .notFound)
  }

  @Test func missingImageIdsAreNamed() throws {
    let (store, _) = try TinyDataset.store()
    let error = #expect(throws: StoreError.self) { try store.images(ids: [1, 424242]) }
    #expect(error?.code == .notFound)
    #expect(error?.message.contains("424242") == true)
    #expect(try store.images(ids: []).isEmpty)
  }

  @Test func duplicateNameIsRefusedAndSuggestsAFix() throws {
    let (store, _) = try TinyDataset.store()
    let before = try store.rowCounts()
    let error = #expect(throws: StoreError.self) {
      try store.importDataset(
        TinyDataset.header(), patients: TinyDataset.patients,
        volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    }
    #expect(error?.code == .alreadyExists)
    #expect(error?.message.contains("'tiny'") == true)
    #expect(error?.message.contains("--name") == true)
    #expect(error?.message.contains("delete") == true)
    #expect(try store.rowCounts() == before)
    // A different name works, and so does re-importing after deleting the old one.
    try store.importDataset(
      TinyDataset.header(name: "tiny-2"), patients: TinyDataset.patients,
      volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    try store.deleteDataset(named: "tiny", actor: "test")
    try store.importDataset(
      TinyDataset.header(), patients: TinyDataset.patients,
      volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    #expect(try store.datasets().map(\.name).sorted() == ["tiny", "tiny-2"])
    #expect(try store.rowCounts()["slices"] == 36)
    #expect(try store.foreignKeyViolationCount() == 0)
  }

  @Test func deletingADatasetLeavesNoOrphans() throws {
    let (store, info) = try TinyDataset.store()
    let slice = try store.slices(datasetId: info.id)[0].id
    try store.reveal(sliceId: slice, kind: .full, actor: "test")
    let encoder = try store.putCheckpoint(kind: "encoder", data: Data([1, 2, 3]), actor: "test")
    try store.putEmbeddings(checkpointId: encoder.id, [(slice, [1, 2])], actor: "test")
    try store.deleteDataset(named: "tiny", actor: "cli")
    let counts = try store.rowCounts()
    for table in ["datasets", "patients", "volumes", "slices", "images", "ground_truth", "annotations", "embeddings"] {
      #expect(counts[table] == 0, "\(table) still has rows")
    }
    #expect(try store.foreignKeyViolationCount() == 0)
    #expect(try store.auditLog(limit: 1).first?.action == "dataset.delete")
    let error = #expect(throws: StoreError.self) { try store.deleteDataset(named: "tiny", actor: "cli") }
    #expect(error?.code == .notFound)
  }

  @Test func importAuditsWithTheActor() throws {
    let (store, info) = try TinyDataset.store()
    let entry = try #require(try store.auditLog().first)
    #expect(entry.actor == "test" && entry.action == "dataset.import" && entry.entity == "dataset:\(info.id)")
    #expect(entry.detail.contains("slices=18"))
  }
}
