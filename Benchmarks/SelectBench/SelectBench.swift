// `scripts/bench select`: one round's Select end to end (the pool's pixels, scribbles and embeddings fetched from
// storage, then the "ours" k-center greedy) on a pool of about 2,000 training slices at 256², as a round of an
// experiment meets it: 1 % labeled with scribbles, 1 % to pick. Two selectors run on the same storage: one that
// keeps the pool's pixels between Selects (the default) and one that keeps none (--pool-cache-mb 0), which
// fetches them every round as the selector did before. Starts storage and both selectors (next to this executable).
// Usage: SelectBench WORKDIR [PATIENTS] [REPEATS]
import Foundation
import Launcher
import Logging
import Messaging
import Protos
import ServiceKit

@main
struct SelectBench {
  static func main() async throws {
    let arguments = CommandLine.arguments
    let work = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory() + "/select-bench"
    let patients = arguments.count > 2 ? Int32(arguments[2])! : 143
    let repeats = arguments.count > 3 ? Int(arguments[3])! : 5
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let logger = {
      var logger = Logger(label: "select-bench")
      logger.logLevel = .warning
      return logger
    }()
    func start(_ name: String, _ executable: String, _ arguments: [String]) throws -> ServiceProcess {
      try ServiceProcess.start(
        name: name, executable: executable, arguments: arguments + ["--exit-on-stdin-eof"],
        logPath: "\(work)/\(name).log", detach: false)
    }
    let storage = try start(
      "storage", "activeseg-storage", ["--bind", "tcp://127.0.0.1:*", "--database", work + "/select.sqlite"])
    let selectors = try [("keeping", 4096), ("fetching", 0)].map { name, megabytes in
      try start(
        name, "activeseg-selector",
        ["--bind", "tcp://127.0.0.1:*", "--storage", storage.endpoints["rpc"]!, "--pool-cache-mb", "\(megabytes)"])
    }
    defer { for service in selectors + [storage] { ServiceProcess.stop(pid: service.pid) } }
    let options = CallOptions(timeout: .seconds(3600), caller: "bench")

    // The pool: a phantom cohort at 256², 1 % of its training slices labeled with scribbles, a 512-d embedding each.
    let store = try ZMQChannel(connect: storage.endpoints["rpc"]!, logger: logger)
    defer { store.close() }
    let dataset = try await store.call(
      "Storage/Import",
      Activeseg_V1_ImportRequest.phantom(name: "select", patients: patients, size: 256, minSlices: 9, maxSlices: 11),
      replying: Activeseg_V1_ImportReply.self, options: options
    ).dataset
    var list = Activeseg_V1_ListSlicesRequest()
    list.datasetID = dataset.id
    list.split = .train
    let pool = try await store.call(
      "Storage/ListSlices", list, replying: Activeseg_V1_ListSlicesReply.self, options: options
    ).slices.map(\.id)
    let budget = max(1, pool.count / 100)
    let labeled = Array(pool.prefix(budget))
    var reveal = Activeseg_V1_RevealRequest()
    reveal.sliceIds = labeled
    reveal.kind = .scribble
    _ = try await store.call("Storage/Reveal", reveal, replying: Activeseg_V1_RevealReply.self, options: options)
    var checkpoint = Activeseg_V1_PutCheckpointRequest()
    checkpoint.checkpoint.kind = "encoder"
    checkpoint.checkpoint.blob = Data([0])
    let encoder = try await store.call(
      "Storage/PutCheckpoint", checkpoint, replying: Activeseg_V1_PutCheckpointReply.self, options: options
    ).id
    let dims = 512
    var state: UInt64 = 0x9E37_79B9
    var embeddings = Activeseg_V1_PutEmbeddingsRequest()
    embeddings.encoderID = encoder
    embeddings.sliceIds = pool
    embeddings.vectors = WireTensor(
      float32: (0..<(pool.count * dims)).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
      }, shape: [pool.count, dims])
    _ = try await store.call(
      "Storage/PutEmbeddings", embeddings, replying: Activeseg_V1_PutEmbeddingsReply.self, options: options)
    print("select: \(pool.count) training slices at 256², \(labeled.count) labeled with scribbles, budget \(budget)")

    var request = Activeseg_V1_SelectRequest()
    request.strategy = "ours"
    request.datasetID = dataset.id
    request.labeledSliceIds = labeled
    request.budget = Int32(budget)
    request.seed = 1
    request.encoderID = encoder
    var medians: [String: Double] = [:]
    var picks: [String: [Int64]] = [:]
    for (name, selector) in zip(["keeping", "fetching"], selectors) {
      let channel = try ZMQChannel(connect: selector.endpoints["rpc"]!, logger: logger)
      defer { channel.close() }
      var times: [Double] = []
      for _ in 0..<(repeats + 1) {  // the first Select fetches the pool in both; the repeats are the rounds after
        let started = ContinuousClock.now
        let reply = try await channel.call(
          "Selector/Select", request, replying: Activeseg_V1_SelectReply.self, options: options)
        times.append(seconds(ContinuousClock.now - started))
        picks[name] = reply.picks.map(\.sliceID)
      }
      let later = times.dropFirst().sorted()
      medians[name] = later[later.count / 2]
      print(
        "select \(name): first \(format(times[0])) s, then median \(format(medians[name]!)) s over \(repeats) "
          + "(\(later.map(format).joined(separator: ", ")))")
    }
    precondition(picks["keeping"] == picks["fetching"], "the two selectors picked different slices")
    let kept = medians["keeping"]!, fetched = medians["fetching"]!
    print(
      "RESULT select slices=\(pool.count) size=256 budget=\(budget) kept_s=\(format(kept)) fetched_s=\(format(fetched)) "
        + "ratio=\(format(fetched / kept))")
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }

  static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
