// The limits over real sockets: the rate limit counts per peer address (not the declared name) and recovers, an
// expired deadline is refused before any work, an oversized frame is dropped by libzmq without a reply, and a
// client never reads a reply larger than its cap.
import Foundation
import Messaging
import Protos
import Synchronization
import Testing
import TestSupport

/// Counts how often its router's one method, Test/Work (an echo), actually ran.
final class RunCounter: Sendable {
  let count = Atomic<Int>(0)

  func router() -> RPCRouter {
    var router = RPCRouter()
    router.register("Test/Work") { (tensor: Tensor, _) -> Tensor in
      self.count.add(1, ordering: .relaxed)
      return tensor
    }
    return router
  }
}

@Suite struct LimitTests {
  /// Without security the bucket is the peer's address: a caller that changes its declared name every call is
  /// throttled all the same, and recovers at the configured rate.
  @Test func rateLimitCountsPerPeerAddressNotDeclaredName() async throws {
    let server = try RPCServer(
      bind: "tcp://127.0.0.1:*", router: testRouter(), logger: logger,
      limits: ServerLimits(requestsPerSecond: 2, burst: 3))
    let task = Task { await server.run() }
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    let other = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close(); other.close() }
    func call(_ channel: ZMQChannel, as name: String) async throws -> Tensor {
      try await channel.call(
        "Test/Echo", tensor([1]), replying: Tensor.self, options: CallOptions(timeout: .seconds(5), caller: name))
    }
    for index in 0..<3 { _ = try await call(channel, as: "name-\(index)") }
    var exhausted: ServiceError?
    for index in 3..<6 where exhausted == nil {
      do { _ = try await call(index == 4 ? other : channel, as: "name-\(index)") } catch let error as ServiceError {
        exhausted = error
      }
    }
    #expect(
      exhausted?.code == .resourceExhausted,
      "fresh caller names and a second connection from the same address share one bucket")
    #expect(
      exhausted?.message.contains("peer 127.0.0.1") == true
        && exhausted?.message.contains("rate limit of 2 requests/s") == true,
      "\(String(describing: exhausted))")
    // Tokens come back at the configured rate (slow enough that a loaded machine cannot refill early).
    try await Task.sleep(for: .milliseconds(700))
    #expect(try await call(channel, as: "name-9") == tensor([1]))
  }

  @Test func tokenBucketArithmetic() throws {
    let limiter = RateLimiter(rate: 2, burst: 2)
    let start = ContinuousClock.now
    try limiter.admit("a", method: "M", now: start)
    try limiter.admit("a", method: "M", now: start)
    #expect(throws: ServiceError.self) { try limiter.admit("a", method: "M", now: start + .milliseconds(100)) }
    try limiter.admit("a", method: "M", now: start + .milliseconds(600))  // 0.2 + 1.0 tokens refilled
    #expect(throws: ServiceError.self) { try limiter.admit("a", method: "M", now: start + .milliseconds(650)) }
    let off = RateLimiter(rate: 0, burst: 1)
    for _ in 0..<1000 { try off.admit("a", method: "M") }
  }

  @Test func anExpiredDeadlineIsRefusedBeforeAnyWork() async throws {
    let ran = RunCounter()
    let router = ran.router()
    let server = try RPCServer(bind: "tcp://127.0.0.1:*", router: router, logger: logger)
    let task = Task { await server.run() }
    defer { server.stop(); task.cancel() }
    let loop = try SocketLoop(
      context: .shared, setup: SocketSetup(kind: .dealer, attach: .connect(server.endpoint)), name: "raw",
      logger: logger)
    defer { loop.stop() }
    var envelope = Envelope()
    envelope.method = "Test/Work"
    envelope.requestID = 1
    envelope.deadlineUnixMs = Int64(Date().timeIntervalSince1970 * 1000) - 1000
    loop.send(RPCMessage(envelope: envelope, payload: try tensor([1]).serializedBytes()).frames)
    var iterator = loop.incoming.makeAsyncIterator()
    let reply = try RPCMessage.parse(try #require(await iterator.next()).frames)
    #expect(reply.envelope.status.code == .deadlineExceeded)
    #expect(reply.envelope.status.message.contains("Test/Work"))
    #expect(ran.count.load(ordering: .relaxed) == 0)
  }

  @Test func anOversizedFrameIsDroppedUnread() async throws {
    let ran = RunCounter()
    let router = ran.router()
    let server = try RPCServer(
      bind: "tcp://127.0.0.1:*", router: router, logger: logger,
      limits: ServerLimits(maxMessageBytes: 4096))
    let task = Task { await server.run() }
    defer { server.stop(); task.cancel() }
    let big = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { big.close() }
    _ = await expectCode(.deadlineExceeded) {
      _ = try await big.call(
        "Test/Work", tensor([Float](repeating: 1, count: 4096)), replying: Tensor.self,
        options: CallOptions(timeout: .milliseconds(700)))
    }
    #expect(ran.count.load(ordering: .relaxed) == 0)
    #expect(server.dispatchedCalls == 0)
    let small = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { small.close() }
    #expect(
      try await small.call(
        "Test/Work", tensor([1, 2]), replying: Tensor.self, options: CallOptions(timeout: .seconds(5)))
        == tensor([1, 2]))
  }

  /// A client caps the replies it reads: a server answering 2 MiB is cut off by a client capped at 1 MiB (the call
  /// fails, naming the cap) while a client with room reads it.
  @Test func aClientNeverReadsAReplyOverItsCap() async throws {
    let (server, task) = try serve(testRouter(maxRequestBytes: 4 << 20))
    defer { server.stop(); task.cancel() }
    let big = tensor([Float](repeating: 1, count: 512 << 10))  // 2 MiB of floats, echoed back
    let capped = try ZMQChannel(connect: server.endpoint, logger: logger, maxReplyBytes: 1 << 20)
    defer { capped.close() }
    let refused = await expectCode(.deadlineExceeded) {
      // Long enough that a loaded machine still serves it in time (a late call gets a small DEADLINE_EXCEEDED reply).
      _ = try await capped.call("Test/Echo", big, replying: Tensor.self, options: CallOptions(timeout: .seconds(3)))
    }
    #expect(refused?.message.contains("limit of 1 MiB") == true, "\(String(describing: refused))")
    let roomy = try ZMQChannel(connect: server.endpoint, logger: logger, maxReplyBytes: 4 << 20)
    defer { roomy.close() }
    #expect(
      try await roomy.call("Test/Echo", big, replying: Tensor.self, options: CallOptions(timeout: .seconds(10))) == big)
    #expect(ZMQChannel.defaultMaxReplyBytes == 256 << 20, "every client is capped by default")
  }
}
