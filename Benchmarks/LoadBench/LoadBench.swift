// `scripts/bench load`: 50 annotator clients against the gateway for 60 seconds, each leasing one slice
// (AnnotateNext) and submitting its mask (AnnotateSubmit) in a loop; prints requests/s, p50/p99 latency per
// call and errors. Starts storage, selector and gateway (next to this executable) on 127.0.0.1 itself.
// Usage: LoadBench WORKDIR [CLIENTS] [SECONDS]
import Foundation
import Launcher
import Logging
import Messaging
import Protos
import ServiceKit

@main
struct LoadBench {
  static func main() async throws {
    let arguments = CommandLine.arguments
    let work = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory() + "/load-bench"
    let clients = arguments.count > 2 ? Int(arguments[2])! : 50
    let duration = arguments.count > 3 ? Int(arguments[3])! : 60
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let logger = {
      var logger = Logger(label: "load-bench"); logger.logLevel = .warning; return logger
    }()

    func start(_ name: String, _ arguments: [String]) throws -> ServiceProcess {
      try ServiceProcess.start(
        name: name, executable: "activeseg-\(name)", arguments: arguments + ["--exit-on-stdin-eof"],
        logPath: "\(work)/\(name).log", detach: false)
    }
    let storage = try start("storage", ["--bind", "tcp://127.0.0.1:*", "--database", work + "/load.sqlite"])
    let selector = try start("selector", ["--bind", "tcp://127.0.0.1:*", "--storage", storage.endpoints["rpc"]!])
    let gateway = try start(
      "gateway",
      [
        "--bind", "tcp://127.0.0.1:*", "--work-bind", "tcp://127.0.0.1:*", "--events-bind", "tcp://127.0.0.1:*",
        "--storage", storage.endpoints["rpc"]!, "--selector", selector.endpoints["rpc"]!
      ])
    defer { for service in [gateway, selector, storage] { ServiceProcess.stop(pid: service.pid) } }

    // A people-annotated experiment whose first round picks every training slice: enough work for the run.
    let store = try ZMQChannel(connect: storage.endpoints["rpc"]!, logger: logger)
    let request = Activeseg_V1_ImportRequest.phantom(
      name: "load", patients: 2000, size: 32, minSlices: 8, maxSlices: 12, seed: 1)
    let dataset = try await store.call(
      "Storage/Import", request, replying: Activeseg_V1_ImportReply.self,
      options: CallOptions(timeout: .seconds(600))
    ).dataset
    store.close()
    let endpoint = gateway.endpoints["rpc"]!
    let control = try ZMQChannel(connect: endpoint, logger: logger)
    var run = Activeseg_V1_RunExperimentRequest()
    run.configYaml =
      "dataset: load\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [1.0]}\npreset: smoke\nannotators: people\n"
    let experiment = try await control.call(
      "Gateway/RunExperiment", run, replying: Activeseg_V1_RunExperimentReply.self
    ).experimentID
    control.close()
    print("load: \(dataset.trainSlices) training slices waiting for \(clients) annotators for \(duration) s")
    try await Task.sleep(for: .seconds(2))  // round 0's selection

    let deadline = ContinuousClock.now + .seconds(duration)
    let experimentID = experiment
    let results = try await withThrowingTaskGroup(of: ClientTally.self) { group in
      for client in 0..<clients {
        group.addTask {
          try await annotate(
            client: client, endpoint: endpoint, experiment: experimentID, until: deadline, logger: logger)
        }
      }
      var total = ClientTally()
      for try await tally in group { total.merge(tally) }
      return total
    }
    let requests = results.next.count + results.submit.count
    let rps = Double(requests) / Double(duration)
    func ms(_ values: [Double], _ q: Double) -> Double {
      guard !values.isEmpty else { return 0 }
      let sorted = values.sorted()
      return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] * 1000
    }
    print(
      String(
        format: "load next:   %d calls, p50 %.2f ms, p99 %.2f ms (%d returned no slice)",
        results.next.count, ms(results.next, 0.5), ms(results.next, 0.99), results.empty))
    print(
      String(
        format: "load submit: %d calls, p50 %.2f ms, p99 %.2f ms", results.submit.count, ms(results.submit, 0.5),
        ms(results.submit, 0.99)))
    print(
      String(
        format:
          "RESULT load rps=%.0f p50_ms=%.2f p99_ms=%.2f next_p50_ms=%.2f next_p99_ms=%.2f submit_p99_ms=%.2f errors=%d clients=%d seconds=%d",
        rps, ms(results.next + results.submit, 0.5), ms(results.next + results.submit, 0.99), ms(results.next, 0.5),
        ms(results.next, 0.99), ms(results.submit, 0.99), results.errors, clients, duration))
  }

  /// One annotator: lease a slice, submit a mask, until the deadline.
  static func annotate(
    client: Int, endpoint: String, experiment: Int64, until deadline: ContinuousClock.Instant,
    logger: Logger
  ) async throws -> ClientTally {
    let channel = try ZMQChannel(connect: endpoint, logger: logger)
    defer { channel.close() }
    var tally = ClientTally()
    let options = CallOptions(timeout: .seconds(10), caller: "annotator-\(client)")
    while ContinuousClock.now < deadline {
      var next = Activeseg_V1_AnnotateNextRequest()
      next.experimentID = experiment
      next.annotator = "annotator-\(client)"
      let started = ContinuousClock.now
      let leased: Activeseg_V1_AnnotateNextReply
      do {
        leased = try await channel.call(
          "Gateway/AnnotateNext", next, replying: Activeseg_V1_AnnotateNextReply.self, options: options)
      } catch {
        tally.errors += 1
        continue
      }
      tally.next.append(seconds(ContinuousClock.now - started))
      guard let slice = leased.slices.first else {
        tally.empty += 1
        try await Task.sleep(for: .milliseconds(100))
        continue
      }
      var submit = Activeseg_V1_AnnotateSubmitRequest()
      submit.experimentID = experiment
      submit.sliceID = slice.sliceID
      submit.annotator = "annotator-\(client)"
      submit.secondsSpent = 30
      let size = Int(slice.image.shape[0]) * Int(slice.image.shape[1])
      submit.mask = WireTensor(
        uint8: [UInt8](repeating: UInt8(client % 4), count: size), shape: slice.image.shape.map(Int.init))
      let sent = ContinuousClock.now
      do {
        _ = try await channel.call(
          "Gateway/AnnotateSubmit", submit, replying: Activeseg_V1_AnnotateSubmitReply.self, options: options)
        tally.submit.append(seconds(ContinuousClock.now - sent))
      } catch {
        tally.errors += 1
      }
    }
    return tally
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }
}

/// Latencies (seconds) and counts of one or all clients.
struct ClientTally: Sendable {
  var next: [Double] = []
  var submit: [Double] = []
  var empty = 0
  var errors = 0

  mutating func merge(_ other: ClientTally) {
    next += other.next
    submit += other.submit
    empty += other.empty
    errors += other.errors
  }
}
