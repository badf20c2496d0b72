// The five services as processes with CurveZMQ on: at every service a client with no key, a wrong server key
// or a key not on the allow-list gets no answer and nothing processed (the storage audit stays empty), allowed
// clients work, roles hold at the gateway, the audit names the authenticated caller, and the CLI uses its key.
import Foundation
import Launcher
import Messaging
import Persistence
import Protos
import ServiceKit
import SwiftProtobuf
import Testing
import TestSupport

@Suite(.serialized) struct SecureClusterTests {
  static let clients = "admin:admin,ann1:annotator,vic:viewer"

  func client(_ cluster: LocalCluster, _ name: String, server: String) throws -> ClientSecurity {
    let keys = try #require(cluster.keysDirectory)
    return ClientSecurity(
      keys: try CurveKeyPair.load(directory: keys, name: name),
      serverPublicKey: try CurveKeyPair.loadPublic(directory: keys, name: server))
  }

  func call<Reply: SwiftProtobufMessage>(
    _ endpoint: String, _ method: String, _ request: some SwiftProtobufMessage,
    _ security: ClientSecurity?, timeout: Duration = .seconds(20),
    caller: String = ""
  ) async throws -> Reply {
    let channel = try ZMQChannel(connect: endpoint, logger: logger, security: security)
    defer { channel.close() }
    return try await channel.call(
      method, request, replying: Reply.self, options: CallOptions(timeout: timeout, caller: caller))
  }

  func phantomImport(_ name: String) -> Activeseg_V1_ImportRequest {
    var request = Activeseg_V1_ImportRequest()
    request.format = "phantom"
    request.name = name
    request.actor = "mallory"
    request.phantom.patients = 3
    request.phantom.size = 32
    request.phantom.minSlices = 2
    request.phantom.maxSlices = 3
    return request
  }

  @Test func onlyAllowedKeysGetInAndRolesHold() async throws {
    let cluster = try LocalCluster(secureClients: Self.clients)
    try cluster.start(trainers: 1, embedders: 1)
    defer { cluster.stop() }
    let admin = { (server: String) in try client(cluster, "admin", server: server) }
    let gateway = cluster.endpoint("gateway")

    // Secured workers join the secured gateway.
    #expect(
      await eventually {
        let reply: HealthReply? = try? await call(
          gateway, "Gateway/Health", HealthRequest(), try admin("gateway"), timeout: .seconds(2))
        return reply?.workers.map(\.workerID).sorted() == ["embedder-1", "trainer-1"]
      }, "both workers joined: \(cluster.log("gateway"))")

    // A worker holding a key that is allowed, but not as a service, never joins the work socket.
    try cluster.launch(
      "impostor", "activeseg-trainer",
      [
        "--gateway", cluster.endpoint("gateway", "work"),
        "--storage", cluster.endpoint("storage"), "--id", "impostor", "--key-name", "admin"
      ])
    try await Task.sleep(for: .milliseconds(1500))
    let workers: HealthReply = try await call(gateway, "Gateway/Health", HealthRequest(), try admin("gateway"))
    #expect(workers.workers.map(\.workerID).sorted() == ["embedder-1", "trainer-1"], "an admin key is no service key")

    let outsider = try CurveKeyPair.generate()
    let services = [
      ("storage", "rpc", "Storage/Health", "storage"), ("selector", "rpc", "Selector/Health", "selector"),
      ("gateway", "rpc", "Gateway/Health", "gateway"), ("trainer-1", "control", "Trainer/Health", "trainer"),
      ("embedder-1", "control", "Embedder/Health", "embedder")
    ]
    for (name, key, method, server) in services {
      let endpoint = cluster.endpoint(name, key)
      let adminKeys = try admin(server)
      let refused: [(String, ClientSecurity?)] = [
        ("no key", nil),
        (
          "a wrong server key",
          ClientSecurity(keys: adminKeys.keys, serverPublicKey: try CurveKeyPair.generate().publicKey)
        ),
        ("a key not on the allow-list", ClientSecurity(keys: outsider, serverPublicKey: adminKeys.serverPublicKey))
      ]
      for (what, security) in refused {
        do {
          let _: HealthReply = try await call(endpoint, method, HealthRequest(), security, timeout: .milliseconds(600))
          Issue.record("\(name) answered a client with \(what)")
        } catch let error as ServiceError {
          #expect(error.code == .deadlineExceeded, "\(name), \(what): \(error)")
        }
      }
      let reply: HealthReply = try await call(endpoint, method, HealthRequest(), adminKeys)
      #expect(reply.service == server, "\(name) answers the admin")
    }

    // Refused clients try to import at storage: nothing is written, the audit stays empty.
    let storage = cluster.endpoint("storage")
    let storageKey = try admin("storage")
    for security in [nil, ClientSecurity(keys: outsider, serverPublicKey: storageKey.serverPublicKey)] {
      do {
        let _: Activeseg_V1_ImportReply = try await call(
          storage, "Storage/Import", phantomImport("sneaky"), security,
          timeout: .milliseconds(800), caller: "admin")
        Issue.record("storage imported for a refused client")
      } catch let error as ServiceError { #expect(error.code == .deadlineExceeded) }
    }
    let store = try Store(path: cluster.directory.file("db.sqlite"))
    #expect(try store.auditLog().isEmpty, "nothing was processed for refused clients")

    // Roles: an annotator cannot run admin calls or reach storage; a viewer cannot annotate; a viewer may read status.
    let annotator = try client(cluster, "ann1", server: "gateway"),
      viewer = try client(cluster, "vic", server: "gateway")
    var run = Activeseg_V1_RunExperimentRequest()
    run.configYaml = "name: x"
    let denials: [(String, String, ClientSecurity, String, any SwiftProtobufMessage)] = [
      (gateway, "Gateway/RunExperiment", annotator, "needs role admin", run),
      (gateway, "Gateway/ListWorkers", annotator, "needs role admin", Activeseg_V1_ListWorkersRequest()),
      (
        gateway, "Gateway/AnnotateSubmit", viewer, "needs role admin or annotator", Activeseg_V1_AnnotateSubmitRequest()
      ),
      (
        storage, "Storage/ListDatasets", try client(cluster, "ann1", server: "storage"), "needs role admin or service",
        Activeseg_V1_ListDatasetsRequest()
      )
    ]
    for (endpoint, method, security, needs, request) in denials {
      do {
        let channel = try ZMQChannel(connect: endpoint, logger: logger, security: security)
        defer { channel.close() }
        _ = try await channel.call(
          method: method, payload: try request.serializedBytes(), options: CallOptions(timeout: .seconds(10)))
        Issue.record("\(method) was allowed")
      } catch let error as ServiceError {
        #expect(error.code == .permissionDenied, "\(method): \(error)")
        #expect(error.message.contains(method) && error.message.contains(needs), "\(error.message)")
      }
    }
    var status = Activeseg_V1_ExperimentStatusRequest()
    status.experimentID = 999
    do {
      let _: Activeseg_V1_ExperimentStatusReply = try await call(gateway, "Gateway/ExperimentStatus", status, viewer)
      Issue.record("experiment 999 should not exist")
    } catch let error as ServiceError {
      #expect(error.code == .notFound, "a viewer gets past the policy to the handler: \(error)")
    }

    // The admin imports; the audit records the authenticated key name, and whom the request claimed to act for.
    let imported: Activeseg_V1_ImportReply = try await call(
      storage, "Storage/Import", phantomImport("ph"), storageKey,
      timeout: .seconds(60), caller: "root")
    #expect(imported.dataset.name == "ph")
    let audit = try store.auditLog()
    #expect(!audit.isEmpty && audit.allSatisfy { $0.actor == "admin (for mallory)" }, "\(audit.map(\.actor))")

    // The CLI uses a client key: the viewer's key reads the gateway's health; no key gets no answer.
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let keys = try #require(cluster.keysDirectory)
    let viewerStatus = try await runCommand(cli, ["status", "--gateway", gateway, "--key", "vic", "--keys-dir", keys])
    #expect(viewerStatus.status == 0 && viewerStatus.output.contains("gateway      up"), "\(viewerStatus.output)")
    let anonymous = try await runCommand(
      cli, ["status", "--gateway", gateway], environment: ["ACTIVESEG_RUN_DIR": cluster.directory.path])
    #expect(anonymous.status != 0 && anonymous.output.contains("DOWN"), "\(anonymous.output)")
  }

  /// --rate-limit on a real service process, keyed by the authenticated caller: one client is throttled
  /// and recovers, another is not affected.
  @Test func aServicesRateLimitTriggersPerAuthenticatedCallerAndRecovers() async throws {
    let cluster = try LocalCluster(secureClients: "admin:admin,vic:viewer")
    defer { cluster.stop() }
    let storage = try cluster.launch(
      "storage", "activeseg-storage",
      [
        "--bind", "tcp://127.0.0.1:*", "--database", cluster.directory.file("db.sqlite"), "--rate-limit", "1",
        "--rate-burst", "2"
      ])
    let endpoint = try #require(storage.endpoints["rpc"])
    let admin = try ZMQChannel(
      connect: endpoint, logger: logger, security: try client(cluster, "admin", server: "storage"))
    let viewer = try ZMQChannel(
      connect: endpoint, logger: logger, security: try client(cluster, "vic", server: "storage"))
    defer { admin.close(); viewer.close() }
    // The envelope's caller is ignored: every call counts against the key's name.
    func health(_ channel: ZMQChannel, _ claim: String) async throws -> HealthReply {
      try await channel.call(
        "Storage/Health", HealthRequest(), replying: HealthReply.self,
        options: CallOptions(timeout: .seconds(10), caller: claim))
    }
    _ = try await health(admin, "a")
    _ = try await health(admin, "b")
    do {
      _ = try await health(admin, "c")
      Issue.record("the third call at once should be over the limit")
    } catch let error as ServiceError {
      #expect(error.code == .resourceExhausted && error.message.contains("'admin'"), "\(error)")
    }
    #expect(try await health(viewer, "a").service == "storage", "another caller has its own bucket")
    try await Task.sleep(for: .milliseconds(1200))
    #expect(try await health(admin, "d").service == "storage", "the bucket refills at 1 per second")
  }

  /// A running service follows its allow-list file: a line removed is refused within a second (file watch), and a
  /// key swapped in place with the file's size and time kept (invisible to the watch) is refused after SIGHUP.
  @Test func aServiceReloadsItsAllowListOnFileChangeAndOnSIGHUP() async throws {
    let cluster = try LocalCluster(secureClients: "admin:admin,vic:viewer,ann1:annotator")
    defer { cluster.stop() }
    let storage = try cluster.launch(
      "storage", "activeseg-storage",
      [
        "--bind", "tcp://127.0.0.1:*", "--database", cluster.directory.file("db.sqlite")
      ])
    let endpoint = try #require(storage.endpoints["rpc"])
    let listPath = try #require(cluster.keysDirectory) + "/allow-list"
    func channel(_ name: String) throws -> ZMQChannel {
      try ZMQChannel(connect: endpoint, logger: logger, security: try client(cluster, name, server: "storage"))
    }
    func answers(_ channel: ZMQChannel) async -> Bool {
      let reply = try? await channel.call(
        "Storage/Health", HealthRequest(), replying: HealthReply.self, options: CallOptions(timeout: .milliseconds(300))
      )
      return reply?.service == "storage"
    }
    /// How long until `channel` is refused (nil: still answered after 3 s).
    func refusal(_ channel: ZMQChannel) async -> Duration? {
      let start = ContinuousClock.now
      while ContinuousClock.now - start < .seconds(3) {
        if !(await answers(channel)) { return ContinuousClock.now - start }
        try? await Task.sleep(for: .milliseconds(20))
      }
      return nil
    }
    let vic = try channel("vic"), ann = try channel("ann1"), admin = try channel("admin")
    defer { vic.close(); ann.close(); admin.close() }
    for client in [vic, ann, admin] { #expect(await eventually { await answers(client) }) }

    // File change: vic's line goes.
    let original = try String(contentsOfFile: listPath, encoding: .utf8)
    try original.split(separator: "\n").filter { !$0.hasSuffix(" vic service") && !$0.hasSuffix(" vic viewer") }
      .joined(separator: "\n").appending("\n").write(toFile: listPath, atomically: true, encoding: .utf8)
    let vicRefused = await refusal(vic)
    #expect(
      vicRefused != nil && vicRefused! < .seconds(1),
      "vic refused after \(String(describing: vicRefused)): \(cluster.log("storage"))")
    #expect(await eventually(timeout: .seconds(3)) { await answers(ann) }, "ann1 still allowed")

    // SIGHUP: ann1 gets a new key written in place, same size and modification time, so only a signal reveals it.
    var info = stat()
    #expect(stat(listPath, &info) == 0)
    let before = try String(contentsOfFile: listPath, encoding: .utf8)
    let oldKey = try CurveKeyPair.loadPublic(directory: try #require(cluster.keysDirectory), name: "ann1")
    let swapped = before.replacingOccurrences(of: oldKey, with: try CurveKeyPair.generate().publicKey)
    #expect(swapped != before && swapped.utf8.count == before.utf8.count)
    let handle = try #require(FileHandle(forWritingAtPath: listPath))
    try handle.write(contentsOf: Data(swapped.utf8))
    try handle.close()
    var times = [info.st_atim, info.st_mtim]
    #expect(utimensat(AT_FDCWD, listPath, &times, 0) == 0)
    try await Task.sleep(for: .milliseconds(700))
    #expect(await answers(ann), "no reload yet: the file looks unchanged")
    Glibc.kill(storage.pid, SIGHUP)
    let annRefused = await refusal(ann)
    #expect(
      annRefused != nil && annRefused! < .seconds(1), "ann1 refused after SIGHUP: \(String(describing: annRefused))")
    #expect(await eventually(timeout: .seconds(3)) { await answers(admin) }, "the admin is still served")
    #expect(cluster.log("storage").contains("allow-list reloaded"))
  }
}
