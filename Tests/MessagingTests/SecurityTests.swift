// CurveZMQ over real sockets on 127.0.0.1: only allow-listed keys get in (no key, a wrong server key and an
// unknown key are refused and nothing is processed), calls run as the authenticated caller, roles are policed
// per method, the work socket takes only services, and the allow-list and key files read and fail clearly.
import Foundation
import Messaging
import Protos
import Synchronization
import Testing
import TestSupport

/// A secured test server: its keys, the clients' keys, and a counter of handler runs.
final class SecuredSetup: Sendable {
  let server = try! CurveKeyPair.generate()
  let admin = try! CurveKeyPair.generate()
  let annotator = try! CurveKeyPair.generate()
  let viewer = try! CurveKeyPair.generate()
  let service = try! CurveKeyPair.generate()
  let outsider = try! CurveKeyPair.generate()
  let handled = Atomic<Int>(0)

  var allowList: AllowList {
    try! AllowList([
      AllowedClient(publicKey: admin.publicKey, name: "ada", role: .admin),
      AllowedClient(publicKey: annotator.publicKey, name: "ann1", role: .annotator),
      AllowedClient(publicKey: viewer.publicKey, name: "vic", role: .viewer),
      AllowedClient(publicKey: service.publicKey, name: "trainer", role: .service)
    ])
  }

  /// Test/Echo for annotators, Test/Caller for viewers, everything else admin-only.
  static let policy = AccessPolicy(rules: ["Test/Echo": [.annotator], "Test/Caller": [.viewer]], otherwise: [])

  func router() -> RPCRouter {
    var router = testRouter()
    router.register("Test/Count") { (tensor: Tensor, _) -> Tensor in
      self.handled.add(1, ordering: .relaxed)
      return tensor
    }
    router.register("Test/Caller") { (_: Tensor, context: RPCContext) -> Tensor in
      self.handled.add(1, ordering: .relaxed)
      var reply = Tensor()
      reply.data = Data("\(context.caller)|\(context.identity?.role.rawValue ?? "-")".utf8)
      return reply
    }
    return router
  }

  func serve() throws -> (RPCServer, Task<Void, Never>) {
    let security = ServerSecurity(keys: server, allowList: allowList, policy: Self.policy)
    let server = try RPCServer(bind: "tcp://127.0.0.1:*", router: router(), logger: logger, security: security)
    return (server, Task { await server.run() })
  }

  func channel(_ server: RPCServer, _ keys: CurveKeyPair?, serverKey: String? = nil) throws -> ZMQChannel {
    let security = keys.map { ClientSecurity(keys: $0, serverPublicKey: serverKey ?? self.server.publicKey) }
    return try ZMQChannel(connect: server.endpoint, logger: logger, security: security)
  }
}

final class Tally: Sendable {
  let allowed = Atomic<Int>(0)
  let plain = Atomic<Int>(0)
}

func expectCode(_ code: ServiceError.Code, _ body: () async throws -> Void) async -> ServiceError? {
  do {
    try await body()
    Issue.record("expected \(code), the call succeeded")
  } catch let error as ServiceError {
    #expect(error.code == code, "\(error)")
    return error
  } catch {
    Issue.record("expected a ServiceError \(code), got \(error)")
  }
  return nil
}

@Suite struct SecurityTests {
  @Test func libzmqHasCurve() {
    #expect(CurveSupport.available, "this machine's libzmq must be built with libsodium")
  }

  @Test func refusedClientsAreNeverAnsweredAndNothingIsProcessed() async throws {
    let setup = SecuredSetup()
    let (server, task) = try setup.serve()
    defer { server.stop(); task.cancel() }
    let wrongServer = try CurveKeyPair.generate()
    let refused: [(String, CurveKeyPair?, String?)] = [
      ("no key", nil, nil), ("a wrong server key", setup.admin, wrongServer.publicKey),
      ("a key not on the allow-list", setup.outsider, nil)
    ]
    for (what, keys, serverKey) in refused {
      let channel = try setup.channel(server, keys, serverKey: serverKey)
      defer { channel.close() }
      _ = await expectCode(.deadlineExceeded) {
        _ = try await channel.call(
          "Test/Count", tensor([1]), replying: Tensor.self,
          options: CallOptions(timeout: .milliseconds(700), caller: "ada"))
      }
      #expect(setup.handled.load(ordering: .relaxed) == 0, "a client with \(what) got nothing processed")
    }
    #expect(server.dispatchedCalls == 0)
    #expect(server.authentication.refused >= 1, "the ZAP handler refused the unknown key")
    #expect(server.authentication.accepted == 0)

    // The allowed admin gets in, and runs as its allow-list name whatever the envelope claims.
    let admin = try setup.channel(server, setup.admin)
    defer { admin.close() }
    let reply = try await admin.call(
      "Test/Caller", tensor([1]), replying: Tensor.self, options: CallOptions(timeout: .seconds(5), caller: "root"))
    #expect(String(decoding: reply.data, as: UTF8.self) == "ada|admin")
    #expect(
      try await admin.call("Test/Count", tensor([4]), replying: Tensor.self, options: CallOptions(timeout: .seconds(5)))
        == tensor([4]))
    #expect(setup.handled.load(ordering: .relaxed) == 2)
    #expect(server.authentication.accepted == 1)
  }

  @Test func rolesArePolicedPerMethod() async throws {
    let setup = SecuredSetup()
    let (server, task) = try setup.serve()
    defer { server.stop(); task.cancel() }
    let annotator = try setup.channel(server, setup.annotator)
    let viewer = try setup.channel(server, setup.viewer)
    defer { annotator.close(); viewer.close() }
    let options = CallOptions(timeout: .seconds(5))
    #expect(try await annotator.call("Test/Echo", tensor([2]), replying: Tensor.self, options: options) == tensor([2]))
    let denied = await expectCode(.permissionDenied) {
      _ = try await annotator.call("Test/Count", tensor([1]), replying: Tensor.self, options: options)
    }
    #expect(
      denied?.message.contains("Test/Count") == true && denied?.message.contains("'ann1'") == true
        && denied?.message.contains("role annotator") == true && denied?.message.contains("needs role admin") == true,
      "\(String(describing: denied))")
    let viewerDenied = await expectCode(.permissionDenied) {
      _ = try await viewer.call("Test/Echo", tensor([1]), replying: Tensor.self, options: options)
    }
    #expect(
      viewerDenied?.message.contains("needs role admin or annotator") == true, "\(String(describing: viewerDenied))")
    let reply = try await viewer.call("Test/Caller", tensor([1]), replying: Tensor.self, options: options)
    #expect(String(decoding: reply.data, as: UTF8.self) == "vic|viewer")
    // Denied calls never reached a handler; an unknown method is denied before it is looked up.
    #expect(setup.handled.load(ordering: .relaxed) == 1)
    _ = await expectCode(.permissionDenied) {
      _ = try await viewer.call("Test/NoSuchMethod", tensor([1]), replying: Tensor.self, options: options)
    }
  }

  @Test func theWorkSocketTakesOnlyServices() async throws {
    let setup = SecuredSetup()
    let broker = try WorkBroker(
      bind: "tcp://127.0.0.1:*", options: fastOptions(), logger: logger,
      security: ServerSecurity(keys: setup.server, allowList: setup.allowList))
    let task = Task { await broker.run() }
    defer { broker.stop(); task.cancel() }
    func worker(_ id: String, _ keys: CurveKeyPair) -> Task<Void, Never> {
      let connection = WorkerConnection(
        gateway: broker.endpoint, hello: hello(id, jobs: ["Echo"]), options: fastOptions(), logger: logger,
        security: ClientSecurity(keys: keys, serverPublicKey: setup.server.publicKey)
      ) { _, _ in Array(id.utf8) }
      return Task { await connection.run() }
    }
    let intruder = worker("intruder", setup.admin)
    let outsider = worker("outsider", setup.outsider)
    let good = worker("good", setup.service)
    defer { intruder.cancel(); outsider.cancel(); good.cancel() }
    #expect(await eventually { broker.workers().map(\.workerID) == ["good"] })
    try await Task.sleep(for: .milliseconds(300))
    #expect(
      broker.workers().map(\.workerID) == ["good"], "an admin key is not a service key, and an unknown key never joins")
    #expect(String(decoding: try await broker.submit(kind: "Echo", payload: []), as: UTF8.self) == "good")
  }

  @Test func eventsReachOnlyAllowedSubscribers() async throws {
    let setup = SecuredSetup()
    let publisher = try EventPublisher(
      bind: "tcp://127.0.0.1:*", logger: logger,
      security: ServerSecurity(keys: setup.server, allowList: setup.allowList))
    defer { publisher.stop() }
    let allowed = try EventSubscriber(
      connect: publisher.endpoint, logger: logger,
      security: ClientSecurity(keys: setup.viewer, serverPublicKey: setup.server.publicKey))
    let plain = try EventSubscriber(connect: publisher.endpoint, logger: logger)
    defer { allowed.stop(); plain.stop() }
    let tally = Tally()
    let readers = [
      Task { for await _ in allowed.events { tally.allowed.add(1, ordering: .relaxed) } },
      Task { for await _ in plain.events { tally.plain.add(1, ordering: .relaxed) } }
    ]
    defer { readers.forEach { $0.cancel() } }
    var event = ProgressEvent()
    event.topic = "t"
    #expect(
      await eventually {
        publisher.publish(event)
        return tally.allowed.load(ordering: .relaxed) > 0
      })
    #expect(tally.plain.load(ordering: .relaxed) == 0, "a subscriber without a key receives nothing")
  }

  @Test func auditActorIsTheAuthenticatedCallerWhenThereIsOne() {
    var context = RPCContext(
      method: "Storage/Import", requestID: 1, caller: "gateway", deadline: nil,
      identity: CallerIdentity(name: "gateway", role: .service))
    #expect(context.auditActor(declared: "") == "gateway")
    #expect(context.auditActor(declared: "gateway") == "gateway")
    #expect(context.auditActor(declared: "alice") == "gateway (for alice)")
    context.identity = nil
    context.caller = "cli"
    #expect(context.auditActor(declared: "alice") == "alice")
    #expect(context.auditActor(declared: "") == "cli")
    context.caller = ""
    #expect(context.auditActor(declared: "") == "unknown")
  }

  @Test func allowListTextParsesAndBadLinesAreNamed() throws {
    let a = try CurveKeyPair.generate(), b = try CurveKeyPair.generate()
    let list = try AllowList(
      text: "# clients\n\n\(a.publicKey) ada admin\n\(b.publicKey) ann1 annotator  # night shift\n", source: "t")
    #expect(list.clients.map(\.name) == ["ada", "ann1"])
    #expect(list.client(publicKey: b.publicKey)?.role == .annotator)
    #expect(try AllowList(text: list.text).clients == list.clients)
    #expect(throws: SecurityError.self) { try AllowList(text: "\(a.publicKey) ada superuser\n") }
    do { _ = try AllowList(text: "\n\(a.publicKey) ada\n", source: "keys/allow-list") } catch let error as SecurityError
    {
      #expect(error.description.contains("keys/allow-list line 2"))
    }
    do { _ = try AllowList(text: "\(a.publicKey) ada admin\n\(b.publicKey) ada viewer\n") } catch let error
      as SecurityError
    {
      #expect(error.description.contains("'ada' appears twice"))
    }
    #expect(throws: SecurityError.self) { try AllowList(text: "notakey ada admin\n") }
    // Z85 keys may contain '#': such a key is not cut short as a comment.
    let hashKey = try #require(
      (0..<200).lazy.map { _ in try! CurveKeyPair.generate() }.first { $0.publicKey.dropFirst().contains("#") })
    #expect(
      try AllowList(text: "\(hashKey.publicKey) h viewer # a comment\n").client(named: "h")?.publicKey
        == hashKey.publicKey)
  }

  @Test func keyFilesRoundTripAndMismatchesAreNamed() throws {
    let directory = try TemporaryDirectory("keys")
    defer { directory.remove() }
    let pair = try CurveKeyPair.generate()
    try pair.write(directory: directory.path, name: "storage")
    #expect(try CurveKeyPair.load(directory: directory.path, name: "storage") == pair)
    #expect(try CurveKeyPair.loadPublic(directory: directory.path, name: "storage") == pair.publicKey)
    let mode =
      try FileManager.default.attributesOfItem(atPath: directory.file("storage.key"))[.posixPermissions] as? Int
    #expect(mode == 0o600)
    try (try CurveKeyPair.generate()).publicKey.write(
      toFile: directory.file("storage.pub"), atomically: true, encoding: .utf8)
    do { _ = try CurveKeyPair.load(directory: directory.path, name: "storage") } catch let error as SecurityError {
      #expect(error.description.contains("storage.pub does not match"))
    }
    do { _ = try CurveKeyPair.load(directory: directory.path, name: "gateway") } catch let error as SecurityError {
      #expect(error.description.contains("activeseg keys generate"))
    }
  }
}
