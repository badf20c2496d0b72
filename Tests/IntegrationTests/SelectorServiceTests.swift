// The selector service as a process over real sockets: every strategy is selectable by name, picks are
// valid and seeded, the uncertainty strategies read the models' stored predictions (hand-made so the right
// picks are known), and a request missing what a strategy needs says what to pass.
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
    embeddings.vectors = WireTensor(
      float32: (0..<(train.slices.count * 8)).map { _ in rng.nextUnitFloat() }, shape: [train.slices.count, 8])
    let _: Activeseg_V1_PutEmbeddingsReply = try await storage.call("PutEmbeddings", embeddings)

    let strategies = try await channel.call(
      "Selector/ListStrategies", Activeseg_V1_ListStrategiesRequest(),
      replying: Activeseg_V1_ListStrategiesReply.self
    ).strategies
    #expect(
      Set(["random", "coreset", "coreset-embedding", "ours", "ours-probabilistic", "typiclust", "entropy", "bald"])
        .isSubset(of: Set(strategies)))

    func selectFromData(_ strategy: String, seed: UInt64 = 1) async throws -> [Int64] {
      var request = Activeseg_V1_SelectRequest()
      request.strategy = strategy
      request.datasetID = dataset.id
      request.labeledSliceIds = labeled
      request.budget = 4
      request.seed = seed
      request.encoderID = encoder.id
      return try await channel.call("Selector/Select", request, replying: Activeseg_V1_SelectReply.self).picks.map(
        \.sliceID)
    }
    let trainIDs = Set(train.slices.map(\.id))
    // "ours" takes faithful_pixel_term; under full supervision its centers' scribbles are derived from the masks.
    func selectOurs(labeled: [Int64], _ parameters: [(String, String)]) async throws -> [Int64] {
      var request = Activeseg_V1_SelectRequest()
      request.strategy = "ours"
      request.datasetID = dataset.id
      request.labeledSliceIds = labeled
      request.budget = 4
      request.seed = 1
      request.encoderID = encoder.id
      request.parameters = parameters.map { key, value in
        var parameter = Activeseg_V1_StrategyParameter()
        parameter.key = key
        parameter.value = value
        return parameter
      }
      return try await channel.call("Selector/Select", request, replying: Activeseg_V1_SelectReply.self).picks.map(
        \.sliceID)
    }
    let faithful = try await selectOurs(labeled: labeled, [("faithful_pixel_term", "true")])
    #expect(faithful.count == 4 && Set(faithful).isDisjoint(with: labeled))
    await #expect(throws: (any Error).self) { try await selectOurs(labeled: labeled, [("pos_wt", "1500")]) }
    await #expect(throws: (any Error).self) {
      try await selectOurs(labeled: labeled, [("faithful_pixel_term", "maybe")])
    }
    let fullyLabeled = Array(train.slices.dropFirst(3).prefix(3).map(\.id))
    var revealFull = Activeseg_V1_RevealRequest()
    revealFull.sliceIds = fullyLabeled
    revealFull.kind = .full
    let _: Activeseg_V1_RevealReply = try await storage.call("Reveal", revealFull)
    for parameters in [[], [("faithful_pixel_term", "true")]] {
      let picks = try await selectOurs(labeled: fullyLabeled, parameters)
      #expect(
        picks.count == 4 && Set(picks).count == 4 && Set(picks).isDisjoint(with: fullyLabeled),
        "full supervision \(parameters)")
    }

    for strategy in [
      "random", "coreset", "coreset-embedding", "ours", "ours-probabilistic", "typiclust", "vaal", "coregcn"
    ] {
      let picks = try await selectFromData(strategy)
      #expect(picks.count == 4 && Set(picks).count == 4, "\(strategy): four distinct picks")
      #expect(Set(picks).isDisjoint(with: labeled), "\(strategy): never a labeled slice")
      #expect(Set(picks).isSubset(of: trainIDs), "\(strategy): only training slices")
      #expect(try await selectFromData(strategy) == picks, "\(strategy): the same seed gives the same picks")
    }
    #expect(try await selectFromData("random", seed: 2) != (try await selectFromData("random", seed: 1)))

    // Two models' stored predictions (one pass) and two models' MC-dropout summaries for every unlabeled
    // slice: four "uncertain" slices where the members disagree (mean 0.49 / 0.49 on classes 1 and 2), all
    // others confidently background. Entropy, variance ratio, BALD and foreground-random must pick those four.
    let unlabeled = train.slices.map(\.id).filter { !labeled.contains($0) }
    let uncertain = Set(unlabeled.shuffledDeterministically(seed: 3).prefix(4))
    var models: [Int64] = [], dropout: [Int64] = []
    for kind in ["plain", "plain", "mc", "mc"] {
      var put = Activeseg_V1_PutCheckpointRequest()
      put.checkpoint.kind = "unet"
      put.checkpoint.blob = Data([1])
      let id = (try await storage.call("PutCheckpoint", put) as Activeseg_V1_PutCheckpointReply).id
      if kind == "plain" { models.append(id) } else { dropout.append(id) }
    }
    func prediction(_ model: Int64, member: Int, slice: Int64, passes: Int32) -> Activeseg_V1_StoredPrediction {
      let pixels = 64, disagree = uncertain.contains(slice)
      var values = [Float](repeating: 0.01, count: 4 * pixels)
      let hot = !disagree ? 0 : (passes > 1 ? 1 : 1 + member)  // MC: the mean over passes is stored
      for px in 0..<pixels {
        if disagree && passes > 1 {
          values[pixels + px] = 0.49; values[2 * pixels + px] = 0.49
        } else {
          values[hot * pixels + px] = 0.97
        }
      }
      var p = Activeseg_V1_StoredPrediction()
      p.checkpointID = model
      p.sliceID = slice
      p.passes = passes
      p.probabilities = WireTensor(float32: values, shape: [4, 8, 8])
      p.expectedEntropy = disagree ? 0.1 : 0.1677  // confident passes; background: H(0.97, 0.01 ×3)
      return p
    }
    var predictions = Activeseg_V1_PutPredictionsRequest()
    for (m, model) in models.enumerated() {
      predictions.predictions += unlabeled.map { prediction(model, member: m, slice: $0, passes: 1) }
    }
    for (m, model) in dropout.enumerated() {
      predictions.predictions += unlabeled.map { prediction(model, member: m, slice: $0, passes: 8) }
    }
    let _: Activeseg_V1_PutPredictionsReply = try await storage.call("PutPredictions", predictions)

    func select(_ strategy: String, models: [Int64], seed: UInt64 = 1) async throws -> [Int64] {
      var request = Activeseg_V1_SelectRequest()
      request.strategy = strategy
      request.datasetID = dataset.id
      request.labeledSliceIds = labeled
      request.budget = 4
      request.seed = seed
      request.modelCheckpointIds = models
      return try await channel.call("Selector/Select", request, replying: Activeseg_V1_SelectReply.self).picks.map(
        \.sliceID)
    }
    for (strategy, ensemble) in [
      ("entropy", models), ("variance-ratio", models), ("foreground-random", models), ("bald", dropout)
    ] {
      let picks = try await select(strategy, models: ensemble)
      #expect(Set(picks) == uncertain, "\(strategy) picks the four slices the models are unsure about")
      #expect(try await select(strategy, models: ensemble) == picks, "\(strategy): the same seed gives the same picks")
    }
    let batches = try await select("stochastic-batches", models: models)
    #expect(batches.count == 4 && Set(batches).isDisjoint(with: labeled) && Set(batches).isSubset(of: trainIDs))
    #expect(try await select("stochastic-batches", models: models) == batches)
    #expect(
      Set(strategies).isSubset(of: [
        "random", "coreset", "coreset-embedding", "ours", "ours-probabilistic", "typiclust",
        "entropy", "variance-ratio", "stochastic-batches", "bald", "foreground-random",
        "vaal", "coregcn"
      ]),
      "every registered strategy was selected above")

    var bad = Activeseg_V1_SelectRequest()
    bad.datasetID = dataset.id
    bad.budget = 4
    bad.strategy = "entropy"
    await expectError(.invalidArgument, containing: "model_checkpoint_ids") {
      _ = try await channel.call("Selector/Select", bad, replying: Activeseg_V1_SelectReply.self)
    }
    bad.labeledSliceIds = labeled
    bad.modelCheckpointIds = [models[0], 999]
    await expectError(.failedPrecondition, containing: "checkpoint 999 has no stored prediction") {
      _ = try await channel.call("Selector/Select", bad, replying: Activeseg_V1_SelectReply.self)
    }
    bad.strategy = "bald"
    bad.modelCheckpointIds = models
    await expectError(.failedPrecondition, containing: "mc_passes") {
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

  /// The pool's pixels are fetched once and kept for the Selects after it (same picks as a selector that keeps
  /// none), but not across a delete and re-import under the same name: the same seed with more noise gives the
  /// new cohort the old one's dataset and slice ids (SQLite reuses them) with other pixels.
  @Test func poolPixelsAreKeptBetweenSelectsButNotAcrossAReimport() async throws {
    let storage = try StorageUnderTest()
    defer { storage.stop() }
    func selector(_ name: String, cacheMB: Int) throws -> (ServiceProcess, ZMQChannel) {
      let process = try ServiceProcess.start(
        name: name, executable: "activeseg-selector",
        arguments: [
          "--bind", "tcp://127.0.0.1:*", "--storage", storage.process.endpoints["rpc"]!, "--pool-cache-mb",
          "\(cacheMB)", "--exit-on-stdin-eof"
        ],
        logPath: storage.directory.file("\(name).log"), detach: false)
      return (process, try ZMQChannel(connect: process.endpoints["rpc"]!, logger: logger))
    }
    let (keeping, kept) = try selector("keeping", cacheMB: 64), (plain, fresh) = try selector("plain", cacheMB: 0)
    defer {
      kept.close()
      fresh.close()
      ServiceProcess.stop(pid: keeping.pid)
      ServiceProcess.stop(pid: plain.pid)
    }
    func picks(_ channel: ZMQChannel, dataset: Int64) async throws -> [Int64] {
      var request = Activeseg_V1_SelectRequest()
      request.strategy = "coreset"
      request.datasetID = dataset
      request.budget = 4
      request.seed = 1
      return try await channel.call("Selector/Select", request, replying: Activeseg_V1_SelectReply.self).picks.map(
        \.sliceID)
    }
    func pixelLines(_ kind: String) -> Int {
      let log = (try? String(contentsOfFile: storage.directory.file("keeping.log"), encoding: .utf8)) ?? ""
      return log.components(separatedBy: "pool_pixels=\(kind)").count - 1
    }

    let first = try await storage.call(
      "Import", Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32, seed: 3),
      Activeseg_V1_ImportReply.self
    ).dataset
    let reference = try await picks(fresh, dataset: first.id)
    #expect(try await picks(kept, dataset: first.id) == reference)
    #expect(try await picks(kept, dataset: first.id) == reference)
    #expect(pixelLines("fetched") == 1 && pixelLines("cached") == 1, "one fetch, then the kept pool")

    var delete = Activeseg_V1_DeleteDatasetRequest()
    delete.name = "ph"
    let _: Activeseg_V1_DeleteDatasetReply = try await storage.call("DeleteDataset", delete)
    try await Task.sleep(for: .milliseconds(5))  // a creation time of its own
    var reimport = Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32, seed: 3)
    reimport.phantom.noise = 0.4
    let second = try await storage.call("Import", reimport, Activeseg_V1_ImportReply.self).dataset
    let again = try await picks(fresh, dataset: second.id)
    #expect(again != reference, "the re-imported cohort's pixels must change the picks for this test to say anything")
    #expect(try await picks(kept, dataset: second.id) == again, "the re-imported pixels, not the kept ones")
    #expect(second.id == first.id && pixelLines("fetched") == 2 && pixelLines("cached") == 1)
    storage.directory.remove()
  }
}

private extension Array where Element == Int64 {
  /// A seeded shuffle (Fisher–Yates with FuzzRandom), so the uncertain slices are not simply the first ones.
  func shuffledDeterministically(seed: UInt64) -> [Int64] {
    var rng = FuzzRandom(seed: seed)
    var copy = self
    copy.shuffle(using: &rng)
    return copy
  }
}
