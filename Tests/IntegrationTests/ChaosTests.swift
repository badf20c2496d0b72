// Chaos over a whole experiment (issue 16): a seeded driver SIGKILLs a random service (storage, gateway,
// selector, trainer or embedder) at random moments while a smoke-size experiment runs under `activeseg up`, whose
// supervisor restarts each one. The experiment must finish with the picks, labels and models of an uninterrupted
// run of the same definition on the same services, and every slice a finished round counts as labeled must have
// its label in storage.
import Foundation
import Glibc
import Launcher
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct ChaosTests {
  static let victims = ["storage", "gateway", "selector", "trainer-1", "embedder-1"]

  static let definition = """
    name: chaos
    dataset: ph
    supervision: full
    strategies: [random, ours]
    schedule: {cumulative: [0.2, 0.4, 0.6]}
    seeds: [0]
    ensemble_size: 1
    preset: smoke
    encoder_preset: smoke
    """

  /// What a finished round leaves behind: its picks, labeled slices and models (their bytes).
  struct RoundOutcome: Equatable, CustomStringConvertible {
    let picks: [Int64]
    let labeled: [Int64]
    let models: [Data]
    var description: String { "picks \(picks), \(labeled.count) labeled, \(models.map(\.count)) model bytes" }
  }

  @Test func killsDuringAnExperimentChangeNothingAndLoseNoLabel() async throws {
    let seed = UInt64(ProcessInfo.processInfo.environment["ACTIVESEG_CHAOS_SEED"] ?? "7") ?? 7
    let kills = Int(ProcessInfo.processInfo.environment["ACTIVESEG_CHAOS_KILLS"] ?? "4") ?? 4
    let run = try LocalRun(portBase: 22_960 + Int(getpid() % 7) * 5)
    try await run.up(trainers: 1, embedders: 1)
    try await run.importPhantom("ph", patients: 6)
    let file = try run.definition(Self.definition)

    // The experiment under fire; its command may fail when the gateway dies, the gateway resumes it on restart.
    let command = Task { try await run.run(["experiment", "run", file]) }
    var rng = FuzzRandom(seed: seed)
    var killed: [String] = []
    let storage = try run.storageClient()
    while killed.count < kills {
      try await Task.sleep(for: .milliseconds(1_000 + Int(rng.next() % 2_500)))
      if try await Self.state(1, storage) == "done" { break }
      let victim = Self.victims[Int(rng.next() % UInt64(Self.victims.count))]
      let pid = try run.pid(victim)
      kill(pid, SIGKILL)
      killed.append(victim)
      try await Self.restarted(victim, from: pid, run)
    }
    _ = try? await command.value
    let deadline = ContinuousClock.now + .seconds(300)
    while try await Self.state(1, storage) != "done" {
      try #require(
        ContinuousClock.now < deadline, "experiment 1 did not finish within 5 minutes of the kills \(killed)")
      try await Task.sleep(for: .milliseconds(500))
    }
    #expect(killed.count >= min(kills, 4), "the experiment outlived too few kills to say much: \(killed)")

    // The same definition, uninterrupted, on the same services and dataset.
    let reference = try await run.run(["experiment", "run", file])
    try #require(reference.status == 0, "\(reference.output)")
    let chaotic = try await Self.outcomes(1, storage), calm = try await Self.outcomes(2, storage)
    #expect(chaotic.count == 6 && calm.count == 6, "two strategies × three rounds each")
    for (key, outcome) in calm {
      #expect(
        chaotic[key] == outcome,
        "\(key) after the kills \(killed): \(chaotic[key].map(\.description) ?? "missing"), uninterrupted: \(outcome)")
    }
    // No label lost: every slice a finished round of the chaotic run counts as labeled has its annotation.
    let labeled = Set(chaotic.values.flatMap(\.labeled))
    var query = Activeseg_V1_GetAnnotationsRequest()
    query.sliceIds = Array(labeled)
    let stored = try await storage.channel.call(
      "Storage/GetAnnotations", query, replying: Activeseg_V1_GetAnnotationsReply.self)
    #expect(
      Set(stored.annotations.map(\.sliceID)) == labeled,
      "labels lost: \(labeled.subtracting(stored.annotations.map(\.sliceID)))")
    print("chaos seed \(seed): \(killed.count) kills (\(killed.joined(separator: ", "))), identical, 0 labels lost")
  }

  static func state(_ experiment: Int64, _ storage: StorageClient) async throws -> String {
    do { return try await storage.experiment(experiment).state } catch let error as ServiceError
      where error.code == .notFound || error.code == .unavailable || error.code == .deadlineExceeded
    {
      return "unknown"  // not created yet, or storage is down this moment
    }
  }

  /// Waits until the supervisor has restarted `name` (a new pid that answers Health via `status`).
  static func restarted(_ name: String, from pid: Int32, _ run: LocalRun) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(300))
      guard let now = try? run.pid(name), now != pid else { continue }
      if try await run.run(["status"]).status == 0 { return }
    }
    Issue.record("\(name) was not restarted within 60 s of its kill")
  }

  /// Each finished round of an experiment by "strategy/seed/round".
  static func outcomes(_ experiment: Int64, _ storage: StorageClient) async throws -> [String: RoundOutcome] {
    struct Fields: Decodable {
      let picks: [Int64]
      let labeled: [Int64]
      let checkpoints: [Int64]
    }
    var result: [String: RoundOutcome] = [:]
    for round in try await storage.rounds(experiment: experiment) where round.state == "done" {
      let fields = try JSONDecoder().decode(Fields.self, from: Data(round.payloadJson.utf8))
      var models: [Data] = []
      for id in fields.checkpoints { models.append(try await storage.checkpoint(id).blob) }
      result["\(round.strategy)/\(round.seed)/\(round.index)"] = RoundOutcome(
        picks: fields.picks, labeled: fields.labeled, models: models)
    }
    return result
  }
}
