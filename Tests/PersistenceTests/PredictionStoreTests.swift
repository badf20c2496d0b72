// Predictions round trips: float16 storage, replacement, filtering, and refusal of bad input.

import Foundation
import Persistence
import Testing

@Suite struct PredictionStoreTests {
  /// A softmax-like (classes, 4, 5) block whose values differ per slice and checkpoint.
  static func prediction(_ checkpoint: Int64, _ slice: Int64, passes: Int = 1) -> SlicePrediction {
    let plane = TinyDataset.plane
    var values = [Float](repeating: 0, count: 4 * plane)
    for px in 0..<plane {
      let hot = Int(slice + Int64(px)) % 4
      for c in 0..<4 { values[c * plane + px] = c == hot ? 0.7 : 0.1 }
    }
    return SlicePrediction(
      checkpointId: checkpoint, sliceId: slice, passes: passes, classes: 4, height: TinyDataset.height,
      width: TinyDataset.width, probabilities: values, expectedEntropy: 0.25 * Double(checkpoint))
  }

  @Test func predictionsRoundTripAsHalfPrecision() throws {
    let (store, info) = try TinyDataset.store()
    let ids = try store.slices(datasetId: info.id).map(\.id)
    let a = try store.putCheckpoint(kind: "unet", data: Data([1]), actor: "trainer").id
    let b = try store.putCheckpoint(kind: "unet", data: Data([2]), actor: "trainer").id
    try store.putPredictions(
      ids.map { Self.prediction(a, $0) } + ids.prefix(3).map { Self.prediction(b, $0, passes: 8) }, actor: "trainer")

    let all = try store.predictions(checkpointIds: [a, b])
    #expect(all.count == ids.count + 3)
    #expect(all.map(\.checkpointId) == Array(repeating: a, count: ids.count) + [b, b, b])
    let first = try #require(all.first)
    let expected = Self.prediction(a, first.sliceId)
    #expect(zip(first.probabilities, expected.probabilities).allSatisfy { abs($0 - $1) < 1e-3 })
    #expect(first.classes == 4 && first.height == TinyDataset.height && first.width == TinyDataset.width)
    #expect(all.last?.passes == 8 && abs((all.last?.expectedEntropy ?? 0) - 0.25 * Double(b)) < 1e-12)

    // Filtering by slice; a pair never predicted is absent.
    let some = try store.predictions(checkpointIds: [b], sliceIds: [ids[0], ids[5]])
    #expect(some.map(\.sliceId) == [ids[0]])

    // Replacing keeps one row per (checkpoint, slice).
    var replaced = Self.prediction(a, ids[0])
    replaced.expectedEntropy = 9
    try store.putPredictions([replaced], actor: "trainer")
    #expect(try store.rowCounts()["predictions"] == ids.count + 3)
    #expect(try store.predictions(checkpointIds: [a], sliceIds: [ids[0]]).first?.expectedEntropy == 9)
  }

  @Test func badPredictionsAreRefusedAndStoreNothing() throws {
    let (store, info) = try TinyDataset.store()
    let ids = try store.slices(datasetId: info.id).map(\.id)
    let model = try store.putCheckpoint(kind: "unet", data: Data([1]), actor: "trainer").id

    var short = Self.prediction(model, ids[0])
    short.probabilities.removeLast()
    let shape = #expect(throws: StoreError.self) {
      try store.putPredictions([Self.prediction(model, ids[1]), short], actor: "t")
    }
    #expect(shape?.code == .invalidInput && shape?.message.contains("slice \(ids[0])") == true)

    var nan = Self.prediction(model, ids[0])
    nan.probabilities[3] = .nan
    let notProbability = #expect(throws: StoreError.self) { try store.putPredictions([nan], actor: "t") }
    #expect(notProbability?.code == .invalidInput && notProbability?.message.contains("softmax") == true)

    let noModel = #expect(throws: StoreError.self) {
      try store.putPredictions([Self.prediction(999, ids[0])], actor: "t")
    }
    #expect(noModel?.code == .notFound && noModel?.message.contains("checkpoint 999") == true)

    let noSlice = #expect(throws: StoreError.self) {
      try store.putPredictions([Self.prediction(model, ids[0]), Self.prediction(model, 424_242)], actor: "t")
    }
    #expect(noSlice?.code == .notFound && noSlice?.message.contains("424242") == true)
    #expect(try store.rowCounts()["predictions"] == 0)
  }
}
