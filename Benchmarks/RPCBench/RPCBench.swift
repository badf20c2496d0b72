// Round trips through the messaging library: `RPCBench server ENDPOINT` serves an echo method;
// `RPCBench client ENDPOINT BYTES CALLS INFLIGHT` measures latency (p50/p99) and throughput against it.
import Foundation
import Logging
import Messaging
import Protos

typealias Tensor = Activeseg_V1_Tensor

@main
struct RPCBench {
  static func main() async throws {
    let arguments = CommandLine.arguments
    var logger = Logger(label: "rpc-bench")
    logger.logLevel = .warning
    switch arguments.dropFirst().first {
    case "server":
      var router = RPCRouter(maxRequestBytes: 64 << 20)
      router.register("Bench/Echo") { (tensor: Tensor, _) -> Tensor in tensor }
      let server = try RPCServer(bind: arguments[2], router: router, logger: logger)
      print("READY \(server.endpoint)")
      fflush(nil)
      await server.run()
    case "client":
      let bytes = Int(arguments[3])!, calls = Int(arguments[4])!, inflight = Int(arguments[5])!
      let channel = try ZMQChannel(connect: arguments[2], logger: logger)
      var request = Tensor()  // mutated only before the tasks start
      if bytes > 0 {
        request.dtype = .float32
        request.shape = [Int64(bytes / 4)]
        request.data = Data(count: bytes)
      }
      let payload = request
      for _ in 0..<100 { _ = try await channel.call("Bench/Echo", payload, replying: Tensor.self) }  // warm-up
      let latencies = LatencyLog()
      let started = ContinuousClock.now
      try await withThrowingTaskGroup(of: Void.self) { group in
        for lane in 0..<inflight {
          group.addTask {
            for _ in stride(from: lane, to: calls, by: inflight) {
              let t0 = ContinuousClock.now
              let reply = try await channel.call("Bench/Echo", payload, replying: Tensor.self)
              precondition(reply.data.count == bytes)
              await latencies.add(ContinuousClock.now - t0)
            }
          }
        }
        try await group.waitForAll()
      }
      let elapsed = ContinuousClock.now - started
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      let sorted = await latencies.microseconds.sorted()
      let p50 = sorted[sorted.count / 2], p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
      print(
        String(
          format: "p50_us=%.1f p99_us=%.1f calls_per_s=%.0f MB_per_s=%.1f",
          p50, p99, Double(calls) / seconds, Double(calls * bytes) / seconds / 1e6))
      channel.close()
    default:
      print("usage: RPCBench server ENDPOINT | client ENDPOINT BYTES CALLS INFLIGHT")
      exit(2)
    }
  }
}

actor LatencyLog {
  var microseconds: [Double] = []
  func add(_ duration: Duration) {
    microseconds.append(Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12)
  }
}
