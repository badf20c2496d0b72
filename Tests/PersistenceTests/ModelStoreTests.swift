// Model checkpoints and embeddings round trips.

import Foundation
import Persistence
import Testing

@Suite struct ModelStoreTests {
  @Test func checkpointsRoundTrip() throws {
    let (store, _) = try TinyDataset.store()
    let experiment = try store.createExperiment(name: "e1", config: "preset: smoke", actor: "gw")
    let round = try store.createRound(experimentId: experiment.id, index: 0, strategy: "coreset", seed: 3, actor: "gw")
    let bytes = Data((0..<70_000).map { UInt8($0 % 251) })
    let unet = try store.putCheckpoint(
      kind: "unet", experimentId: experiment.id, roundId: round.id,
      metadataJSON: #"{"dice":0.8}"#, data: bytes, actor: "trainer")
    let encoder = try store.putCheckpoint(kind: "encoder", data: Data([9]), actor: "embedder")
    #expect(unet.byteCount == 70_000 && unet.roundId == round.id && unet.experimentId == experiment.id)

    let fetched = try #require(try store.checkpoint(id: unet.id))
    #expect(fetched.data == bytes && fetched.info == unet)
    #expect(try store.checkpoint(id: 12345) == nil)
    #expect(try store.checkpoints().map(\.id) == [unet.id, encoder.id])
    #expect(try store.checkpoints(kind: "encoder").map(\.id) == [encoder.id])
    #expect(try store.checkpoints(roundId: round.id).map(\.id) == [unet.id])
    #expect(try store.checkpoints(experimentId: experiment.id, roundId: round.id).map(\.kind) == ["unet"])

    let badRound = #expect(throws: StoreError.self) {
      try store.putCheckpoint(kind: "unet", roundId: 777, data: Data(), actor: "t")
    }
    #expect(badRound?.code == .notFound && badRound?.message.contains("round 777") == true)
    let badJSON = #expect(throws: StoreError.self) {
      try store.putCheckpoint(kind: "unet", metadataJSON: "not json", data: Data(), actor: "t")
    }
    #expect(badJSON?.code == .invalidInput)
  }

  @Test func embeddingsRoundTrip() throws {
    let (store, info) = try TinyDataset.store()
    let ids = try store.slices(datasetId: info.id).map(\.id)
    let encoder = try store.putCheckpoint(kind: "encoder", data: Data([1]), actor: "embedder")
    let vectors = ids.reversed().map { ($0, [Float($0), -Float($0) / 3, 0.25]) }
    try store.putEmbeddings(checkpointId: encoder.id, Array(vectors.prefix(10)), actor: "embedder")
    try store.putEmbeddings(checkpointId: encoder.id, Array(vectors.dropFirst(10)), actor: "embedder")

    let map = try store.embeddings(checkpointId: encoder.id)
    #expect(map.count == ids.count)
    for id in ids {
      let v = try #require(map[id])
      #expect(v.count == 3 && abs(v[0] - Float(id)) < 1e-6 && abs(v[1] + Float(id) / 3) < 1e-6)
    }
    let matrix = try store.embeddingMatrix(checkpointId: encoder.id)
    #expect(matrix.sliceIds == ids.sorted() && matrix.dimension == 3 && matrix.values.count == 3 * ids.count)
    #expect(abs(matrix.values[3 * 5] - Float(matrix.sliceIds[5])) < 1e-6)

    // Replacing a vector keeps one row per slice.
    try store.putEmbeddings(checkpointId: encoder.id, [(ids[0], [7, 7, 7])], actor: "embedder")
    #expect(try store.embeddings(checkpointId: encoder.id)[ids[0]] == [7, 7, 7])
    #expect(try store.rowCounts()["embeddings"] == ids.count)

    let before = try store.rowCounts()
    let mixed = #expect(throws: StoreError.self) {
      try store.putEmbeddings(checkpointId: encoder.id, [(ids[0], [1, 2, 3]), (ids[1], [1, 2])], actor: "e")
    }
    #expect(mixed?.message.contains("slice \(ids[1])") == true)
    let otherDimension = #expect(throws: StoreError.self) {
      try store.putEmbeddings(checkpointId: encoder.id, [(ids[0], [1, 2])], actor: "e")
    }
    #expect(otherDimension?.message.contains("length 3") == true)
    let unknownSlice = #expect(throws: StoreError.self) {
      try store.putEmbeddings(checkpointId: encoder.id, [(ids[0], [1, 2, 3]), (99_999, [1, 2, 3])], actor: "e")
    }
    #expect(unknownSlice?.code == .notFound && unknownSlice?.message.contains("99999") == true)
    #expect(try store.rowCounts() == before)
    #expect(try store.embeddingMatrix(checkpointId: 4242).sliceIds.isEmpty)
  }
}
