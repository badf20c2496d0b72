// No request from any allowed caller crashes a service: every RPC of the gateway, storage and selector (read
// from the .proto files, so a new one is covered by itself) is called with an empty and with a garbage payload,
// and the gateway's experiment calls with every stored experiment state a service must survive. Each call
// must answer (a reply or an error reply) and every service must still be the same process afterwards.
import Foundation
import Glibc
import Launcher
import Logging
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct CrashFreeTests {
  /// `rpc Name(` of one service in its .proto file.
  static func methods(_ service: String) throws -> [String] {
    let text = try String(
      contentsOfFile: "\(repositoryRoot)/proto/activeseg/v1/\(service.lowercased()).proto", encoding: .utf8)
    return text.split(separator: "\n").compactMap { line -> String? in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("rpc "), let open = trimmed.firstIndex(of: "(") else { return nil }
      return "\(service)/" + trimmed.dropFirst(4)[..<open].trimmingCharacters(in: .whitespaces)
    }
  }

  /// One call that must be answered: a reply or an error reply, never silence (a dead or hung service).
  static func answered(_ channel: ZMQChannel, _ method: String, _ payload: [UInt8]) async -> String? {
    do {
      _ = try await channel.call(
        method: method, payload: payload, options: CallOptions(timeout: .seconds(15), caller: "test"))
      return nil
    } catch let error as ServiceError where error.code == .deadlineExceeded || error.code == .cancelled {
      return "\(method) was not answered: \(error)"
    } catch {
      return nil  // an error reply is an answer
    }
  }

  @Test func everyRPCWithEveryStoredStateIsAnswered() async throws {
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    let selector = try ZMQChannel(connect: cluster.endpoint("selector"), logger: logger)
    defer { selector.close() }
    let pids = ["storage", "selector", "gateway"].map { cluster.processes[$0]!.pid }

    // Stored states: finished experiments on a normal dataset and on one without test slices; stored records
    // that no gateway made (a definition that does not parse, a dataset that is gone, an unknown state, no
    // rounds) and a damaged round record.
    var noTest = Activeseg_V1_ImportRequest.phantom(name: "notest", patients: 2, size: 32)
    noTest.allowNoTest = true
    _ = try await storage.call(
      "Storage/Import", noTest, replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    let smoke = "supervision: full\nstrategies: [random]\nschedule: {cumulative: [0.3]}\npreset: smoke\n"
    var ids: [Int64] = []
    for dataset in ["ph", "notest"] {
      let id = try await LoopTests.run("dataset: \(dataset)\n" + smoke, gateway)
      #expect(try await LoopTests.finish(id, gateway).state == "done", "\(cluster.log("gateway"))")
      ids.append(id)
    }
    for (config, state) in [
      ("::: not yaml [", "done"), ("dataset: gone\n" + smoke, "failed"), ("dataset: ph\n" + smoke, "weird"),
      ("dataset: ph\n" + smoke, "done"), ("dataset: ph\n" + smoke, "created")
    ] {
      var put = Activeseg_V1_PutExperimentRequest()
      put.experiment.name = "stored-\(ids.count)"
      put.experiment.configYaml = config
      put.experiment.state = state
      ids.append(
        try await storage.call("Storage/PutExperiment", put, replying: Activeseg_V1_PutExperimentReply.self).experiment
          .id)
    }
    var damaged = Activeseg_V1_PutRoundRequest()
    damaged.round.experimentID = ids[3]
    damaged.round.strategy = "random"
    damaged.round.state = "done"
    damaged.round.payloadJson = "{\"labeled\": \"not a list\"}"
    _ = try await storage.call("Storage/PutRound", damaged, replying: Activeseg_V1_PutRoundReply.self)
    // Records that decode but could not have been written by a gateway: no members; Dice and HD95 of different lengths.
    let member =
      "{\"validationDice\": 0.5, \"testClassDice\": [0.5, 0.5], \"testClassHD95\": [1], \"testVolumeDice\": []}"
    for (index, members) in [(1, "[]"), (2, "[\(member)]")] {
      damaged.round.experimentID = ids[4]
      damaged.round.index = Int32(index)
      damaged.round.payloadJson = """
        {"strategy": "random", "seed": 0, "round": \(index), "labeled": [1], "picks": [1], "selectedWith": "random",
         "cumulativeFraction": 0.3, "costSeconds": 0, "labeledPixels": 0, "checkpoints": [], "members": \(members)}
        """
      _ = try await storage.call("Storage/PutRound", damaged, replying: Activeseg_V1_PutRoundReply.self)
    }

    var unanswered: [String] = []
    /// The first service that is no longer its original process (a crash ends the test at once, not by timeouts).
    func dead() -> String? {
      zip(["storage", "selector", "gateway"], pids).first { _, pid in
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) != 0 || kill(pid, 0) != 0
      }?.0
    }
    for id in ids + [0, -1, 999] {
      var status = Activeseg_V1_ExperimentStatusRequest(); status.experimentID = id
      var report = Activeseg_V1_ReportRequest(); report.experimentID = id
      var next = Activeseg_V1_AnnotateNextRequest(); next.experimentID = id; next.annotator = "a"
      var submit = Activeseg_V1_AnnotateSubmitRequest(); submit.experimentID = id; submit.annotator = "a";
      submit.sliceID = 1
      let calls: [(String, [UInt8])] = [
        ("Gateway/ExperimentStatus", try status.serializedBytes()), ("Gateway/Report", try report.serializedBytes()),
        ("Gateway/AnnotateNext", try next.serializedBytes()), ("Gateway/AnnotateSubmit", try submit.serializedBytes()),
        ("Gateway/ListExperiments", [])
      ]
      for (method, payload) in calls {
        if let problem = await Self.answered(gateway, method, payload) {
          unanswered.append("experiment \(id): \(problem)")
        }
        if let name = dead() {
          Issue.record("\(name) died on \(method) for experiment \(id); its log:\n\(cluster.log(name).suffix(2000))")
          return
        }
      }
    }
    // Definitions the door must refuse, not run: empty, not YAML, a missing dataset, a first round of 0 slices.
    for yaml in [
      "", "::: [", "dataset: nowhere\n" + smoke,
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.0001]}\n"
    ] {
      var run = Activeseg_V1_RunExperimentRequest(); run.configYaml = yaml
      do {
        _ = try await gateway.call("Gateway/RunExperiment", run, replying: Activeseg_V1_RunExperimentReply.self)
        Issue.record("RunExperiment accepted \(yaml.debugDescription)")
      } catch let error as ServiceError {
        #expect(error.code == .invalidArgument || error.code == .notFound, "\(error)")
      }
    }
    // Every method of every service, with an empty and with a garbage payload.
    for (channel, service) in [(gateway, "Gateway"), (storage, "Storage"), (selector, "Selector")] {
      for method in try Self.methods(service) where method != "Gateway/ResumeExperiment" {
        for payload in [[], [0xFF, 0x01, 0x02, 0x9A]] as [[UInt8]] {
          if let problem = await Self.answered(channel, method, payload) { unanswered.append(problem) }
          if let name = dead() {
            Issue.record("\(name) died on \(method); its log:\n\(cluster.log(name).suffix(2000))")
            return
          }
        }
      }
    }
    // Resume last: it starts runs in the background, which must fail or finish without taking the gateway down.
    for id in ids + [0, 999] {
      var resume = Activeseg_V1_ResumeExperimentRequest(); resume.experimentID = id
      if let problem = await Self.answered(gateway, "Gateway/ResumeExperiment", try resume.serializedBytes()) {
        unanswered.append(problem)
      }
    }
    try await Task.sleep(for: .seconds(2))
    #expect(unanswered.isEmpty, "\(unanswered.joined(separator: "\n"))")
    for (name, pid) in zip(["storage", "selector", "gateway"], pids) {
      var status: Int32 = 0
      #expect(
        waitpid(pid, &status, WNOHANG) == 0 && kill(pid, 0) == 0,
        "\(name) is still the same process; its log:\n\(cluster.log(name).suffix(2000))")
    }
    #expect(try await gateway.call("Gateway/Health", HealthRequest(), replying: HealthReply.self).pid == pids[2])
    cluster.directory.remove()
  }
}
