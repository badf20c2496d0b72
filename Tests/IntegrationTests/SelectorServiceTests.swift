// The selector service as a process over real sockets: every strategy that works from stored data is
// selectable by name, picks are valid and seeded, and the rest say what they need.
import Foundation
import Launcher
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct SelectorServiceTests {
  @Test func strategiesAreSelectableByName() async throws {
    let storage = try StorageUnderTest()
    defer { storage.stop() }
    let dataset = try await storage.importPhantom(name: "phantom", patients: 6, size: 32).dataset
    let selector = try ServiceProcess.start(
      name: "selector", executable: "activeseg-selector",
      arguments: ["--bind", "tcp://127.0.0.1:*", "--storage", storage.process.endpoints["rpc"]!, "--exit-on-stdin-eof"],
      logPath: storage.directory.file("selector.log"), detach: false)
    defer { ServiceProcess.stop(pid: selector.pid) }
    let channel = try ZMQChannel(connect: selector.endpoints["rpc"]!, logger: logger)
    defer { channel.close() }

    // Three labeled slices (scribbles revealed by the oracle) and an embedding for every slice.
    var list = Activeseg_V1_ListSlicesRequest()
    list.datasetID = dataset.id
    list.split = .train
    let train: Activeseg_V1_ListSlicesReply = try await storage.call("ListSlices", list)
    let labeled = train.slices.prefix(3).map(\.id)
    var reveal = Activeseg_V1_RevealRequest()
    reveal.sliceIds = labeled
    reveal.kind = .scribble
    let _: Activeseg_V1_RevealReply = try await storage.call("Reveal", reveal)
    var checkpoint = Activeseg_V1_PutCheckpointRequest()
    checkpoint.checkpoint.kind = "encoder"
    checkpoint.checkpoint.blob = Data([0])
    let encoder: Activeseg_V1_PutCheckpointReply = try await storage.call("PutCheckpoint", checkpoint)
    var embeddings = Activeseg_V1_PutEmbeddingsRequest()
    embeddings.encoderID = encoder.id
    embeddings.sliceIds = train.slices.map(\.id)
    var rng = FuzzRandom(seed: 5)
    embeddings.vectors = WireTensor(float32: (0..<(train.slices.count * 8)).map { _ in rng.nextUnitFloat() }, shape: [train.slices.count, 8])
    let _: Activeseg_V1_PutEmbeddingsReply = try await storage.call("PutEmbeddings", embeddings)

    let strategies = try await channel.call("Selector/ListStrategies", Activeseg_V1_ListStrategiesRequest(),
                                            replying: Activeseg_V1_ListStrategiesReply.self).strategies
    #expect(Set(["random", "coreset", "coreset-embedding", "ours", "ours-probabilistic", "typiclust", "entropy", "bald"]).isSubset(of: Set(strategies)))

    func select(_ strategy: String, seed: UInt64 = 1) async throws -> [Int64] {
      var request = Activeseg_V1_SelectRequest()
      request.strategy = strategy
      request.datasetID = dataset.id
      request.labeledSliceIds = labeled
      request.budget = 4
      request.seed = seed
      request.encoderID = encoder.id
      return try await channel.call("Selector/Select", request, replying: Activeseg_V1_SelectReply.self).picks.map(\.sliceID)
    }
    let trainIDs = Set(train.slices.map(\.id))
    for strategy in ["random", "coreset", "coreset-embedding", "ours", "ours-probabilistic", "typiclust"] {
      let picks = try await select(strategy)
      #expect(picks.count == 4 && Set(picks).count == 4, "\(strategy): four distinct picks")
      #expect(Set(picks).isDisjoint(with: labeled), "\(strategy): never a labeled slice")
      #expect(Set(picks).isSubset(of: trainIDs), "\(strategy): only training slices")
      #expect(try await select(strategy) == picks, "\(strategy): the same seed gives the same picks")
    }
    #expect(try await select("random", seed: 2) != (try await select("random", seed: 1)))

    var bad = Activeseg_V1_SelectRequest()
    bad.datasetID = dataset.id
    bad.budget = 4
    bad.strategy = "entropy"
    await expectError(.failedPrecondition, containing: "Predict") {
      _ = try await channel.call("Selector/Select", bad, replying: Activeseg_V1_SelectReply.self)
    }
    bad.strategy = "best"
    await expectError(.invalidArgument, containing: "use one of") {
      _ = try await channel.call("Selector/Select", bad, replying: Activeseg_V1_SelectReply.self)
    }
    bad.strategy = "ours"
    await expectError(.invalidArgument, containing: "encoder_id") {
      _ = try await channel.call("Selector/Select", bad, replying: Activeseg_V1_SelectReply.self)
    }
    storage.directory.remove()
  }
}
