// Request/reply over real sockets (tcp and ipc) and in process: replies, errors, timeouts, retries, concurrency.
import Foundation
import Logging
import Messaging
import Protos
import Testing
import TestSupport

typealias Tensor = Activeseg_V1_Tensor

let logger: Logger = {
  var logger = Logger(label: "test")
  logger.logLevel = .warning
  return logger
}()

/// A router with an echo method, a failing method and a slow method.
func testRouter(maxRequestBytes: Int = 1 << 20) -> RPCRouter {
  var router = RPCRouter(maxRequestBytes: maxRequestBytes)
  router.register("Test/Echo") { (tensor: Tensor, _) -> Tensor in tensor }
  router.register("Test/Fail") { (_: Tensor, _) -> Tensor in
    throw ServiceError(.notFound, "slice 42 does not exist; list slices first")
  }
  router.register("Test/Caller") { (_: Tensor, context: RPCContext) -> Tensor in
    var reply = Tensor()
    reply.data = Data(context.caller.utf8)
    return reply
  }
  router.register("Test/Slow") { (tensor: Tensor, _) -> Tensor in
    try await Task.sleep(for: .milliseconds(300))
    return tensor
  }
  return router
}

func tensor(_ values: [Float]) -> Tensor {
  var tensor = Tensor()
  tensor.shape = [Int64(values.count)]
  tensor.dtype = .float32
  tensor.data = values.withUnsafeBytes { Data($0) }
  return tensor
}

/// Starts a server on `endpoint` and returns it with the task serving it.
func serve(_ router: RPCRouter, at endpoint: String = "tcp://127.0.0.1:*") throws -> (RPCServer, Task<Void, Never>) {
  let server = try RPCServer(bind: endpoint, router: router, logger: logger)
  let task = Task { await server.run() }
  return (server, task)
}

@Suite struct RPCTests {
  @Test(arguments: ["tcp://127.0.0.1:*", "ipc"])
  func echoRoundTrip(_ transport: String) async throws {
    let endpoint = transport == "ipc" ? "ipc:///tmp/activeseg-test-\(UUID().uuidString.prefix(8)).sock" : transport
    let (server, task) = try serve(testRouter(), at: endpoint)
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    let sent = tensor([1, 2.5, -3])
    let reply = try await channel.call("Test/Echo", sent, replying: Tensor.self)
    #expect(reply == sent)
  }

  @Test func errorsCarryCodeAndMessage() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    await #expect(throws: ServiceError(.notFound, "slice 42 does not exist; list slices first")) {
      try await channel.call("Test/Fail", Tensor(), replying: Tensor.self)
    }
    let unknown = await #expect(throws: ServiceError.self) {
      try await channel.call("Test/Nope", Tensor(), replying: Tensor.self)
    }
    #expect(unknown?.code == .unimplemented)
    #expect(unknown?.message.contains("Test/Echo") == true, "the error lists the methods the service answers")
  }

  @Test func callerIdentityReachesTheHandler() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    let reply = try await channel.call(
      "Test/Caller", Tensor(), replying: Tensor.self, options: CallOptions(caller: "alice"))
    #expect(String(decoding: reply.data, as: UTF8.self) == "alice")
  }

  @Test func oversizedPayloadIsRefused() async throws {
    let (server, task) = try serve(testRouter(maxRequestBytes: 1000))
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    let error = await #expect(throws: ServiceError.self) {
      try await channel.call("Test/Echo", tensor([Float](repeating: 1, count: 1000)), replying: Tensor.self)
    }
    #expect(error?.code == .resourceExhausted)
    // The server keeps serving.
    let small = tensor([7])
    #expect(try await channel.call("Test/Echo", small, replying: Tensor.self) == small)
  }

  @Test func timeoutWhenNobodyAnswers() async throws {
    let channel = try ZMQChannel(connect: "tcp://127.0.0.1:9", logger: logger)  // nothing listens on the discard port
    defer { channel.close() }
    let started = ContinuousClock.now
    let error = await #expect(throws: ServiceError.self) {
      try await channel.call(
        "Test/Echo", Tensor(), replying: Tensor.self,
        options: CallOptions(timeout: .milliseconds(200), idempotent: true, retries: 1))
    }
    #expect(error?.code == .deadlineExceeded)
    let elapsed = ContinuousClock.now - started
    #expect(elapsed >= .milliseconds(400), "an idempotent call is tried twice before giving up")
  }

  @Test func idempotentCallSurvivesASlowStart() async throws {
    // The client asks before the server exists; the retry reaches it once it binds.
    let port = Int.random(in: 20000...24000)  // below the kernel's ephemeral range
    let endpoint = "tcp://127.0.0.1:\(port)"
    let channel = try ZMQChannel(connect: endpoint, logger: logger)
    defer { channel.close() }
    let call = Task {
      try await channel.call(
        "Test/Echo", tensor([3]), replying: Tensor.self,
        options: CallOptions(timeout: .milliseconds(400), idempotent: true, retries: 5))
    }
    try await Task.sleep(for: .milliseconds(100))
    let (server, task) = try serve(testRouter(), at: endpoint)
    defer { server.stop(); task.cancel() }
    #expect(try await call.value == tensor([3]))
  }

  @Test func manyCallsInFlightAreMatchedToTheirReplies() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<200 {
        group.addTask {
          let sent = tensor([Float(index)])
          let method = index % 10 == 0 ? "Test/Slow" : "Test/Echo"
          return try await channel.call(method, sent, replying: Tensor.self) == sent
        }
      }
      for try await matched in group { #expect(matched) }
    }
  }

  @Test func largeTensorsCrossIntact() async throws {
    let (server, task) = try serve(testRouter(maxRequestBytes: 8 << 20))
    defer { server.stop(); task.cancel() }
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    let values = (0..<(256 * 256)).map { Float($0) * 0.5 }
    var sent = tensor(values)
    sent.shape = [256, 256]
    #expect(try await channel.call("Test/Echo", sent, replying: Tensor.self) == sent)
  }

  @Test func inProcessChannelBehavesLikeTheSocket() async throws {
    let channel = InProcessChannel(router: testRouter())
    #expect(try await channel.call("Test/Echo", tensor([1]), replying: Tensor.self) == tensor([1]))
    let error = await #expect(throws: ServiceError.self) {
      try await channel.call("Test/Fail", Tensor(), replying: Tensor.self)
    }
    #expect(error?.code == .notFound)
  }
}
