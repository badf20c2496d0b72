// Common random numbers across strategies: within one seed every strategy trains from the same initial weights
// with the same augmentation and batch streams, so a difference between strategies comes from their picks alone.
// Two strategies forced to pick the same slices must therefore give bit-identical models and metrics; and each
// seed of an embedding strategy trains its own encoder (the seeds of "ours" do not share their embedding).
import Foundation
import Messaging
import Protos
import Testing
import TestSupport

@Suite(.serialized) struct PairingTests {
  /// Every stored round of `id` as (label, seed, round) → payload, from storage.
  static func payloads(_ id: Int64, _ cluster: LocalCluster) async throws -> [String: [String: Any]] {
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    var request = Activeseg_V1_ListRoundsRequest()
    request.experimentID = id
    let rounds = try await storage.call("Storage/ListRounds", request, replying: Activeseg_V1_ListRoundsReply.self)
      .rounds
    var out: [String: [String: Any]] = [:]
    for round in rounds where round.state == "done" {
      out["\(round.strategy)/\(round.seed)/\(round.index)"] =
        try JSONSerialization.jsonObject(with: Data(round.payloadJson.utf8)) as? [String: Any]
    }
    return out
  }

  /// A JSON array of integers (Foundation on Linux gives NSNumbers).
  static func ints(_ value: Any?) -> [Int64]? { (value as? [NSNumber])?.map(\.int64Value) }
  static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

  static func checkpointBlob(_ id: Int64, _ cluster: LocalCluster) async throws -> Data {
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    var request = Activeseg_V1_GetCheckpointRequest()
    request.id = id
    return try await storage.call("Storage/GetCheckpoint", request, replying: Activeseg_V1_GetCheckpointReply.self)
      .checkpoint.blob
  }

  @Test func twoStrategiesThatPickTheSameSlicesTrainBitIdenticalModels() async throws {
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 2)
    defer { gateway.close(); cluster.stop() }
    // `random` draws from (seed, round) only, so a second entry of it under another label picks the same slices.
    let yaml = """
      dataset: ph
      supervision: full
      strategies: [random, {name: random, label: twin}]
      schedule: {cumulative: [0.1, 0.2]}
      preset: smoke
      seeds: [0, 1]
      """
    let id = try await LoopTests.run(yaml, gateway)
    #expect(try await LoopTests.finish(id, gateway).state == "done", "\(cluster.log("gateway"))")
    let rounds = try await Self.payloads(id, cluster)
    #expect(rounds.count == 8)
    var seedsDiffer = false
    for seed in [0, 1] {
      for round in 0..<2 {
        let a = try #require(rounds["random/\(seed)/\(round)"]), b = try #require(rounds["twin/\(seed)/\(round)"])
        #expect(Self.ints(a["labeled"]) == Self.ints(b["labeled"]), "same picks")
        let metrics = { (p: [String: Any]) in
          try JSONSerialization.data(withJSONObject: p["members"] ?? [], options: [.sortedKeys])
        }
        #expect(try metrics(a) == metrics(b), "bit-identical metrics for seed \(seed) round \(round)")
        let ca = try #require(Self.ints(a["checkpoints"])), cb = try #require(Self.ints(b["checkpoints"]))
        #expect(ca != cb, "two models were trained and stored")
        for (x, y) in zip(ca, cb) {
          #expect(try await Self.checkpointBlob(x, cluster) == Self.checkpointBlob(y, cluster))
        }
      }
      if Self.ints(rounds["random/0/1"]?["labeled"]) != Self.ints(rounds["random/1/1"]?["labeled"]) {
        seedsDiffer = true
      }
    }
    #expect(seedsDiffer, "different seeds pick differently (the test would prove nothing otherwise)")
    cluster.directory.remove()
  }

  @Test func eachSeedOfAnEmbeddingStrategyTrainsItsOwnEncoder() async throws {
    let cluster = try LocalCluster()
    try cluster.start(trainers: 1, embedders: 1)
    defer { cluster.stop() }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    _ = try await storage.call(
      "Storage/Import", Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32),
      replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    storage.close()
    let gateway = try ZMQChannel(connect: cluster.endpoint("gateway"), logger: logger)
    defer { gateway.close() }
    let yaml = """
      dataset: ph
      supervision: full
      strategies: [ours, coregcn]
      schedule: {cumulative: [0.1, 0.2]}
      preset: smoke
      encoder_preset: smoke
      seeds: [0, 1]
      """
    let id = try await LoopTests.run(yaml, gateway)
    #expect(try await LoopTests.finish(id, gateway, seconds: 600).state == "done", "\(cluster.log("gateway"))")
    let rounds = try await Self.payloads(id, cluster)
    let e0 = try #require(Self.int(rounds["ours/0/1"]?["encoder"])),
      e1 = try #require(Self.int(rounds["ours/1/1"]?["encoder"]))
    #expect(e0 != e1, "seeds 0 and 1 use different encoders")
    #expect(Self.int(rounds["ours/0/0"]?["encoder"]) == e0, "one encoder per seed, kept across rounds")
    // CoreGCN does not read embeddings (its input must not depend on which other strategies the definition lists).
    #expect(rounds["coregcn/0/1"]?["encoder"] == nil)
    #expect(cluster.log("gateway").components(separatedBy: "training the contrastive encoder").count - 1 == 2)
    cluster.directory.remove()
  }

  @Test func aStoredRoundThatDoesNotDecodeIsAnErrorNotASilentDrop() async throws {
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    let id = try await LoopTests.run(
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.1]}\npreset: smoke\n", gateway)
    #expect(try await LoopTests.finish(id, gateway).state == "done", "\(cluster.log("gateway"))")
    #expect(try await LoopTests.status(id, gateway).rounds.count == 1)
    // A damaged record beside the good one: status must say so instead of showing one round as if all were well.
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    var put = Activeseg_V1_PutRoundRequest()
    put.round.experimentID = id
    put.round.index = 1
    put.round.strategy = "random"
    put.round.state = "done"
    put.round.step = "evaluate"
    put.round.payloadJson = "{\"strategy\": 7}"
    _ = try await storage.call("Storage/PutRound", put, replying: Activeseg_V1_PutRoundReply.self)
    do {
      _ = try await LoopTests.status(id, gateway)
      Issue.record("status of an experiment with a damaged round succeeded")
    } catch let error as ServiceError {
      #expect(error.message.contains("experiment \(id) random/seed0 round 1 does not decode"), "\(error)")
    }
    cluster.directory.remove()
  }
}
