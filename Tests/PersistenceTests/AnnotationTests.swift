// Labels: annotator input validation, latest-wins, slice filters by label state, the oracle, costs.

import Foundation
import Persistence
import Testing

@Suite struct AnnotationTests {
  @Test func putAnnotationValidatesSizeAndValues() throws {
    let (store, info) = try TinyDataset.store()
    let slice = try store.slices(datasetId: info.id)[4].id
    let before = try store.rowCounts()

    let wrongSize = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: slice, kind: .full, annotator: "ann", pixels: [UInt8](repeating: 0, count: 19),
        costSeconds: 60, actor: "gateway")
    }
    #expect(wrongSize?.code == .invalidInput)
    #expect(wrongSize?.message.contains("slice \(slice)") == true)
    #expect(wrongSize?.message.contains("19 pixels") == true && wrongSize?.message.contains("4×5") == true)

    var ignoreInFull = [UInt8](repeating: 1, count: 20)
    ignoreInFull[3] = AnnotationKind.ignoreValue
    let badValue = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: slice, kind: .full, annotator: "ann", pixels: ignoreInFull,
        costSeconds: 60, actor: "gateway")
    }
    #expect(badValue?.message.contains("value 4 at pixel 3") == true)

    var badScribble = [UInt8](repeating: AnnotationKind.ignoreValue, count: 20)
    badScribble[7] = 5
    let scribbleError = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: slice, kind: .scribble, annotator: "ann", pixels: badScribble,
        costSeconds: 10, actor: "gateway")
    }
    #expect(scribbleError?.message.contains("value 5 at pixel 7") == true)

    let missing = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: 987_654, kind: .full, annotator: "ann", pixels: [UInt8](repeating: 0, count: 20),
        costSeconds: 60, actor: "gateway")
    }
    #expect(missing?.code == .notFound && missing?.message.contains("987654") == true)
    let negativeCost = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: slice, kind: .full, annotator: "ann", pixels: [UInt8](repeating: 0, count: 20),
        costSeconds: -1, actor: "gateway")
    }
    #expect(negativeCost?.code == .invalidInput)
    #expect(try store.rowCounts() == before)

    // A valid scribble: ignore pixels allowed, labeled pixels counted.
    badScribble[7] = 2
    let ok = try store.putAnnotation(
      sliceId: slice, kind: .scribble, annotator: "ann", pixels: badScribble,
      costSeconds: 12.5, actor: "gateway")
    #expect(ok.labeledPixels == 1 && ok.sliceId == slice && ok.annotator == "ann")
    #expect(try store.latestAnnotations(sliceIds: [slice])[slice] == ok)
    let audit = try #require(try store.auditLog(limit: 1).first)
    #expect(audit.actor == "gateway" && audit.action == "annotation.put" && audit.entity == "slice:\(slice)")
  }

  @Test func latestAnnotationWinsAndFiltersFollowIt() throws {
    let (store, info) = try TinyDataset.store()
    let slices = try store.slices(datasetId: info.id, filter: SliceFilter(split: .train))
    let (a, b) = (slices[0].id, slices[1].id)
    let scribble = [UInt8](repeating: AnnotationKind.ignoreValue, count: 19) + [1]
    try store.putAnnotation(sliceId: a, kind: .scribble, annotator: "x", pixels: scribble, costSeconds: 13, actor: "t")
    let full = try store.putAnnotation(
      sliceId: a, kind: .full, annotator: "y", pixels: [UInt8](repeating: 2, count: 20),
      costSeconds: 200, actor: "t")
    try store.putAnnotation(sliceId: b, kind: .scribble, annotator: "x", pixels: scribble, costSeconds: 13, actor: "t")

    let latest = try store.latestAnnotations(sliceIds: [a, b, slices[2].id])
    #expect(latest.count == 2)
    #expect(latest[a] == full)
    #expect(latest[b]?.kind == .scribble)
    #expect(try store.annotationHistory(sliceId: a).map(\.kind) == [.scribble, .full])

    let labeled = try store.slices(datasetId: info.id, filter: SliceFilter(labeled: true))
    #expect(labeled.map(\.id) == [a, b])
    #expect(labeled.map(\.labeledKind) == [.full, .scribble])
    #expect(try store.slices(datasetId: info.id, filter: SliceFilter(kind: .full)).map(\.id) == [a])
    #expect(try store.slices(datasetId: info.id, filter: SliceFilter(kind: .scribble)).map(\.id) == [b])
    let unlabeledTrain = try store.slices(datasetId: info.id, filter: SliceFilter(split: .train, labeled: false))
    #expect(unlabeledTrain.count == 4 && !unlabeledTrain.contains { $0.id == a || $0.id == b })
    #expect(try store.slices(datasetId: info.id, filter: SliceFilter(split: .val, labeled: true)).isEmpty)

    let totals = try store.annotationTotals(datasetId: info.id)
    #expect(totals.slices == 2 && totals.pixels == 1 + 20 + 1)
    #expect(abs(totals.seconds - 226) < 1e-9)
  }

  @Test func oracleRevealsGroundTruthWithItsCost() throws {
    let (store, info) = try TinyDataset.store()
    let slice = try store.slices(datasetId: info.id, filter: SliceFilter(split: .train))[4]  // volume 1 (p0_ES), z = 1
    let expectedMask = (0..<20).map { TinyDataset.label(1, 1, $0) }

    let full = try store.reveal(sliceId: slice.id, kind: .full, actor: "gateway")
    #expect(full.pixels == expectedMask && full.kind == .full && full.annotator == "oracle")
    #expect(abs(full.costSeconds - 200) < 1e-9 && full.labeledPixels == 20)

    let cheap = CostModel(fullSecondsPerSlice: 90, scribbleSpeedup: 15)
    let scribble = try store.reveal(
      sliceId: slice.id, kind: .scribble, annotator: "sim", costModel: cheap, actor: "gateway")
    #expect(abs(scribble.costSeconds - 6) < 1e-9)
    #expect(scribble.labeledPixels == 7)  // pixels 0, 3, ..., 18
    #expect(
      scribble.pixels.enumerated().allSatisfy { i, v in v == (i % 3 == 0 ? expectedMask[i] : AnnotationKind.ignoreValue)
      })
    #expect(abs(CostModel().seconds(for: .scribble) - 200.0 / 15) < 1e-9)

    #expect(try store.latestAnnotations(sliceIds: [slice.id])[slice.id] == scribble)
    let audit = try store.auditLog(limit: 2)
    #expect(audit.map(\.action) == ["annotation.reveal", "annotation.reveal"])
    #expect(audit.allSatisfy { $0.actor == "gateway" })

    // Revealing again (a round repeated after a crash) returns the same annotation and adds nothing.
    let again = try store.reveal(
      sliceId: slice.id, kind: .scribble, annotator: "sim", costModel: cheap, actor: "gateway")
    #expect(again == scribble)
    #expect(try store.annotationHistory(sliceId: slice.id).count == 2)
  }

  @Test func oracleNeedsGroundTruth() throws {
    let (store, info) = try TinyDataset.store(withLabels: false)
    let slice = try store.slices(datasetId: info.id)[0].id
    let error = #expect(throws: StoreError.self) { try store.reveal(sliceId: slice, kind: .full, actor: "t") }
    #expect(error?.code == .notFound && error?.message.contains("no ground truth") == true)
    #expect(try store.rowCounts()["annotations"] == 0)
    // Volumes without ground truth serve no label, whatever the split.
    let test = try store.volumeIds(datasetId: info.id, split: .test)[0]
    #expect(try store.volume(id: test).label == nil)
  }
}
