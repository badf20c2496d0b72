// The active-learning loop on real processes under faults and with people: a trainer killed in the
// middle of a job (another finishes it), the gateway killed in the middle of a round (the restarted one
// resumes by itself and ends with the same result as an uninterrupted run), and annotators leasing and
// submitting masks through `activeseg annotate`. Smoke preset, tiny phantom: each run takes seconds.
import DatasetFormats
import Foundation
import Launcher
import Messaging
import Protos
import ServiceKit
import Synchronization
import Testing
import TestSupport

@Suite(.serialized) struct LoopTests {
  static func definition(annotators: String = "oracle", strategy: String = "random") -> String {
    """
    dataset: ph
    supervision: full
    strategies: [\(strategy)]
    schedule: {cumulative: [0.1, 0.2, 0.3]}
    preset: smoke
    seeds: [0]
    annotators: \(annotators)
    """
  }

  /// A cluster with `trainers` trainers and no embedder (services started with `environment` added), the phantom
  /// imported as "ph", and a gateway channel.
  static func cluster(trainers: Int, environment: [String: String] = [:]) async throws -> (LocalCluster, ZMQChannel) {
    let cluster = try LocalCluster()
    cluster.environment = environment
    try cluster.start(trainers: trainers, embedders: 0)
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    let request = Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32)
    _ = try await storage.call(
      "Storage/Import", request, replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    return (cluster, try ZMQChannel(connect: cluster.endpoint("gateway"), logger: logger))
  }

  static func run(_ yaml: String, _ gateway: ZMQChannel) async throws -> Int64 {
    var request = Activeseg_V1_RunExperimentRequest()
    request.configYaml = yaml
    return try await gateway.call("Gateway/RunExperiment", request, replying: Activeseg_V1_RunExperimentReply.self)
      .experimentID
  }

  static func status(_ id: Int64, _ gateway: ZMQChannel) async throws -> Activeseg_V1_ExperimentStatusReply {
    var request = Activeseg_V1_ExperimentStatusRequest()
    request.experimentID = id
    return try await gateway.call(
      "Gateway/ExperimentStatus", request, replying: Activeseg_V1_ExperimentStatusReply.self,
      options: .idempotent(timeout: .seconds(10)))
  }

  /// Polls until the experiment is done or failed (at most `seconds`).
  static func finish(_ id: Int64, _ gateway: ZMQChannel, seconds: Int = 300) async throws
    -> Activeseg_V1_ExperimentStatusReply
  {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
      if let reply = try? await status(id, gateway), reply.state == "done" || reply.state == "failed" { return reply }
      try await Task.sleep(for: .milliseconds(200))
    }
    return try await status(id, gateway)
  }

  /// Each finished round as (strategy, round, labeled slice ids, test Dice), from storage.
  static func rounds(_ id: Int64, _ cluster: LocalCluster, security: ClientSecurity? = nil) async throws -> [String] {
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger, security: security)
    defer { storage.close() }
    var request = Activeseg_V1_ListRoundsRequest()
    request.experimentID = id
    let rounds = try await storage.call("Storage/ListRounds", request, replying: Activeseg_V1_ListRoundsReply.self)
      .rounds
    return try rounds.sorted { ($0.strategy, $0.index) < ($1.strategy, $1.index) }.map { round in
      let payload = try JSONSerialization.jsonObject(with: Data(round.payloadJson.utf8)) as? [String: Any] ?? [:]
      let labeled = (payload["labeled"] as? [NSNumber])?.map(\.int64Value) ?? []
      let dice =
        ((payload["members"] as? [[String: Any]])?.compactMap { $0["validationDice"] as? NSNumber }.map(\.doubleValue))
        ?? []
      return "\(round.strategy) r\(round.index) labeled=\(labeled) memberValDice=\(dice)"
    }
  }

  @Test func aTrainerKilledMidJobHasItsJobFinishedByAnother() async throws {
    let (cluster, gateway) = try await Self.cluster(trainers: 2)
    defer { gateway.close(); cluster.stop() }
    let id = try await Self.run(Self.definition(), gateway)
    // Wait until a trainer is in the middle of a Train job, then SIGKILL it.
    var victim: String?
    let deadline = ContinuousClock.now + .seconds(120)
    while victim == nil && ContinuousClock.now < deadline {
      for name in ["trainer-1", "trainer-2"] {
        let log = cluster.log(name)
        if log.components(separatedBy: "training started").count > log.components(separatedBy: "training done").count {
          victim = name
        }
      }
      if victim == nil { try await Task.sleep(for: .milliseconds(10)) }
    }
    let killed = try #require(victim, "a trainer started a job")
    cluster.kill(killed)
    let reply = try await Self.finish(id, gateway)
    #expect(reply.state == "done", "\(cluster.log("gateway"))")
    #expect(reply.rounds.count == 3)
    // The broker saw the killed trainer holding a job (the kill did not land between jobs) and requeued it, and
    // the survivor finished that very job.
    let survivor = killed == "trainer-1" ? "trainer-2" : "trainer-1"
    let requeued = cluster.log("gateway").split(separator: "\n").first {
      $0.contains("requeued job") && $0.contains("of worker \(killed)")
    }
    let line = try #require(
      requeued, "the killed trainer's job was requeued; gateway log:\n\(cluster.log("gateway").suffix(3000))")
    let job = try #require(
      line.components(separatedBy: "requeued job ").last?.split(separator: " ").first.map(String.init))
    #expect(
      cluster.log(survivor).split(separator: "\n").contains { $0.contains("job finished") && $0.contains(job) },
      "\(survivor) finished job \(job)")
    cluster.directory.remove()
  }

  @Test func aGatewayKilledMidRoundResumesToTheSameResult() async throws {
    let (cluster, gateway) = try await Self.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    // The reference: an uninterrupted run. Entropy has every kind of step: select, annotate, train, score.
    let reference = try await Self.run(Self.definition(strategy: "entropy"), gateway)
    #expect(try await Self.finish(reference, gateway).state == "done", "\(cluster.log("gateway"))")
    let expected = try await Self.rounds(reference, cluster)
    #expect(expected.count == 3)

    // The same definition again, with the gateway SIGKILLed once round 0 is stored and round 1 is training.
    let interrupted = try await Self.run(Self.definition(strategy: "entropy"), gateway)
    let deadline = ContinuousClock.now + .seconds(120)
    while ContinuousClock.now < deadline, (try? await Self.status(interrupted, gateway))?.rounds.count ?? 0 < 1 {
      try await Task.sleep(for: .milliseconds(20))
    }
    cluster.kill("gateway")
    let before = try await Self.rounds(interrupted, cluster)
    #expect(before.count >= 1 && before.count < 3, "killed mid-experiment: \(before)")
    try cluster.restart("gateway")  // same endpoints: the trainer rejoins, and the gateway resumes by itself
    let reply = try await Self.finish(interrupted, gateway)
    #expect(reply.state == "done", "\(cluster.log("gateway"))")
    #expect(
      try await Self.rounds(interrupted, cluster) == expected, "the resumed run ends where the uninterrupted one did")
    cluster.directory.remove()
  }

  @Test func everyStrategyRunsThroughTheGatewayIncludingThoseThatScorePredictions() async throws {
    let (cluster, gateway) = try await Self.cluster(trainers: 2)
    defer { gateway.close(); cluster.stop() }
    let yaml = """
      dataset: ph
      supervision: full
      strategies: [entropy, variance-ratio, stochastic-batches, foreground-random, {name: bald, parameters: {mc_passes: "3"}}, vaal, coregcn]
      schedule: {cumulative: [0.1, 0.2]}
      preset: smoke
      seeds: [0]
      """
    let id = try await Self.run(yaml, gateway)
    let reply = try await Self.finish(id, gateway, seconds: 600)
    #expect(reply.state == "done", "\(cluster.log("gateway"))")
    #expect(reply.rounds.count == 7 * 2)
    // Round 1 of the prediction-scoring strategies was selected from the round-0 ensemble's stored predictions.
    let log = cluster.log("gateway")
    for strategy in ["entropy", "variance-ratio", "stochastic-batches", "foreground-random", "bald"] {
      #expect(log.contains("\(strategy)/seed0 round 0: 1 model(s) predicted"), "\(strategy) scored the pool")
      #expect(log.contains("\(strategy)/seed0 round 1: \(strategy) picked"), "\(strategy) selected round 1 itself")
    }
    #expect(log.contains("with 3 dropout passes"))
    cluster.directory.remove()
  }

  @Test func annotatorsLeaseAndSubmitMasksThroughTheCLI() async throws {
    let (cluster, gateway) = try await Self.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    let yaml = Self.definition(annotators: "people").replacingOccurrences(of: "[0.1, 0.2, 0.3]", with: "[0.1, 0.2]")
    let id = try await Self.run(yaml, gateway)
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let folder = cluster.directory.file("annotate")
    func annotate(_ arguments: [String]) async throws -> (status: Int32, output: String) {
      try await runCommand(
        cli, ["annotate"] + arguments + ["--experiment", "\(id)", "--gateway", cluster.endpoint("gateway")])
    }
    func leased(_ output: String) -> [Int64] {
      output.split(separator: "\n").compactMap { line in
        line.hasPrefix("slice ") ? Int64(line.dropFirst(6).prefix { $0.isNumber }) : nil
      }
    }
    /// Writes a mask for `slice` from its preview (bright pixels → class 1) as PNG or NIfTI.
    func mask(_ slice: Int64, png: Bool) throws -> String {
      let preview = try PNGGray8.read("\(folder)/slice-\(slice).png")
      let labels = preview.pixels.map { $0 > 128 ? UInt8(1) : 0 }
      let path = "\(folder)/mask-\(slice)" + (png ? ".png" : ".nii.gz")
      if png {
        try PNGGray8(width: preview.width, height: preview.height, pixels: labels).write(to: path)
      } else {
        try NIfTIWriter.writeMask(
          labels, sizeX: preview.width, sizeY: preview.height, sizeZ: 1, spacing: (1, 1, 1), to: path)
      }
      return path
    }

    for round in 0..<2 {
      // ann1 leases two slices as soon as the round's picks wait; ann2 gets the rest, never ann1's.
      var first: [Int64] = []
      let deadline = ContinuousClock.now + .seconds(120)
      while first.isEmpty && ContinuousClock.now < deadline {
        let next = try await annotate(["next", "--annotator", "ann1", "--count", "2", "--dir", folder])
        #expect(next.status == 0, "\(next.output)")
        first = leased(next.output)
        if first.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
      }
      #expect(first.count == 2, "round \(round): ann1 got two slices")
      let rest = leased(try await annotate(["next", "--annotator", "ann2", "--count", "50", "--dir", folder]).output)
      #expect(!rest.isEmpty && Set(rest).isDisjoint(with: first), "round \(round): ann2 gets other slices")
      let stolen = try await annotate([
        "submit", "--annotator", "ann2", "--slice", "\(first[0])", try mask(first[0], png: true)
      ])
      #expect(stolen.status != 0 && stolen.output.contains("leased to 'ann1'"), "\(stolen.output)")
      let bad = try await annotate([
        "submit", "--annotator", "ann1", "--slice", "\(first[0])", cluster.directory.file("nothing.png")
      ])
      #expect(bad.status != 0 && bad.output.contains("nothing.png"))

      for slice in first {
        let done = try await annotate([
          "submit", "--annotator", "ann1", "--slice", "\(slice)", "--seconds", "30", try mask(slice, png: true)
        ])
        #expect(done.status == 0, "\(done.output)")
      }
      for (index, slice) in rest.enumerated() {
        let done = try await annotate([
          "submit", "--annotator", "ann2", "--slice", "\(slice)", try mask(slice, png: false)
        ])
        #expect(done.status == 0, "\(done.output)")
        if index == rest.count - 1 {
          #expect(done.output.contains("0 slice(s) of this round still to annotate"), "\(done.output)")
        }
      }
    }
    let reply = try await Self.finish(id, gateway)
    #expect(reply.state == "done", "\(cluster.log("gateway"))")
    #expect(reply.rounds.count == 2)
    #expect(reply.rounds.allSatisfy { $0.costSeconds >= 60 }, "each round records the seconds ann1 reported")

    // Storage recorded who labeled what.
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    var annotations = Activeseg_V1_GetAnnotationsRequest()
    annotations.datasetID = 1
    let stored = try await storage.call(
      "Storage/GetAnnotations", annotations, replying: Activeseg_V1_GetAnnotationsReply.self
    ).annotations
    #expect(Set(stored.map(\.annotator)) == ["ann1", "ann2"])
    #expect(stored.allSatisfy { $0.kind == .full })
    cluster.directory.remove()
  }
}

@Suite(.serialized) struct StorageFaultTests {
  /// Issue #8's fault figure: SIGKILL of the storage service while 20 annotators submit labels; every label
  /// whose submission was acknowledged must be in the database after the restart.
  @Test func everyAcknowledgedLabelSurvivesAStorageKill() async throws {
    let cluster = try LocalCluster()
    try cluster.start(trainers: 0, embedders: 0)
    defer { cluster.stop() }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    let request = Activeseg_V1_ImportRequest.phantom(
      name: "ph", patients: 200, size: 32, minSlices: 6, maxSlices: 8, seed: 5)
    _ = try await storage.call(
      "Storage/Import", request, replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    storage.close()
    let gatewayEndpoint = cluster.endpoint("gateway")
    let control = try ZMQChannel(connect: gatewayEndpoint, logger: logger)
    defer { control.close() }
    let id = try await LoopTests.run(
      """
      dataset: ph
      supervision: full
      strategies: [random]
      schedule: {cumulative: [1.0]}
      preset: smoke
      annotators: people
      """, control)

    // 20 annotators: lease one slice, submit a mask, repeat. Storage is SIGKILLed once labels are being
    // acknowledged (however slowly a loaded machine gets there) and restarted half a second later; the clients
    // go on for 3 s after the restart (40 s at most in all).
    let start = ContinuousClock.now
    let cap = start + .seconds(40)
    let timeline = KillTimeline()
    let goOn: @Sendable () -> Bool = {
      let now = ContinuousClock.now
      return now < cap && timeline.restartedAt.withLock { $0.map { now < start + $0 + .seconds(3) } ?? true }
    }
    let acknowledged = try await withThrowingTaskGroup(of: [(Int64, Duration)].self) { group in
      for client in 0..<20 {
        group.addTask {
          let channel = try ZMQChannel(connect: gatewayEndpoint, logger: logger)
          defer { channel.close() }
          var acked: [(Int64, Duration)] = []
          while goOn() {
            var next = Activeseg_V1_AnnotateNextRequest()
            next.experimentID = id
            next.annotator = "client-\(client)"
            guard
              let slice =
                (try? await channel.call(
                  "Gateway/AnnotateNext", next, replying: Activeseg_V1_AnnotateNextReply.self,
                  options: CallOptions(timeout: .seconds(2))))?.slices.first
            else {
              try await Task.sleep(for: .milliseconds(50))
              continue
            }
            var submit = Activeseg_V1_AnnotateSubmitRequest()
            submit.experimentID = id
            submit.sliceID = slice.sliceID
            submit.annotator = "client-\(client)"
            submit.mask = WireTensor(uint8: [UInt8](repeating: UInt8(client % 4), count: 32 * 32), shape: [32, 32])
            if (try? await channel.call(
              "Gateway/AnnotateSubmit", submit, replying: Activeseg_V1_AnnotateSubmitReply.self,
              options: CallOptions(timeout: .seconds(2)))) != nil
            {
              acked.append((slice.sliceID, ContinuousClock.now - start))
              timeline.acks.withLock { $0 += 1 }
            }
          }
          return acked
        }
      }
      group.addTask {
        while timeline.acks.withLock({ $0 }) < 5 && ContinuousClock.now < start + .seconds(20) {
          try await Task.sleep(for: .milliseconds(20))
        }
        timeline.killedAt.withLock { $0 = ContinuousClock.now - start }
        cluster.kill("storage")
        try await Task.sleep(for: .milliseconds(500))
        try cluster.restart("storage")
        timeline.restartedAt.withLock { $0 = ContinuousClock.now - start }
        return []
      }
      var all: [(Int64, Duration)] = []
      for try await acked in group { all += acked }
      return all
    }

    let after = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { after.close() }
    var annotations = Activeseg_V1_GetAnnotationsRequest()
    annotations.datasetID = 1
    let stored = try await after.call(
      "Storage/GetAnnotations", annotations, replying: Activeseg_V1_GetAnnotationsReply.self,
      options: .idempotent(timeout: .seconds(30))
    ).annotations
    let storedSlices = Set(stored.map(\.sliceID))
    let lost = acknowledged.map(\.0).filter { !storedSlices.contains($0) }
    let kill = try #require(timeline.killedAt.withLock { $0 })
    let restart = try #require(timeline.restartedAt.withLock { $0 })
    let beforeKill = acknowledged.filter { $0.1 < kill }.count,
      afterRestart = acknowledged.filter { $0.1 > restart }.count
    print(
      "storage kill under 20 annotators: acknowledged \(acknowledged.count) (\(beforeKill) before the kill, \(afterRestart) after the restart), stored \(stored.count), acknowledged but lost \(lost.count)"
    )
    #expect(beforeKill > 0 && afterRestart > 0, "the clients submitted before the kill and after the restart")
    #expect(lost.isEmpty, "acknowledged labels missing after the restart: \(lost)")
    #expect(Set(acknowledged.map(\.0)).count == acknowledged.count, "no slice was acknowledged twice")
    cluster.directory.remove()
  }
}

/// When the storage kill test's labels were acknowledged, and when it killed and restarted storage.
final class KillTimeline: Sendable {
  let acks = Mutex(0)
  let killedAt = Mutex<Duration?>(nil)
  let restartedAt = Mutex<Duration?>(nil)
}
