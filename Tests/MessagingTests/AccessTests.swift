// Access that changes while connections are open, over real CURVE sockets on 127.0.0.1: a key revoked by a
// reload of the allow-list is refused on its open connection within a second and the connection is dropped (the
// client's automatic reconnect is refused by the ZAP handler), other keys keep working, and progress events
// reach each subscriber only for the topics its role may see.
import Foundation
import Messaging
import Synchronization
import Testing
import TestSupport

final class Inbox: Sendable {
  let topics = Mutex<[String]>([])
  func add(_ topic: String) { topics.withLock { $0.append(topic) } }
  var all: [String] { topics.withLock { $0 } }
}

@Suite struct AccessTests {
  @Test func aRevokedKeyIsRefusedWithinASecondAndItsConnectionDropped() async throws {
    let setup = SecuredSetup()
    let store = AllowListStore(setup.allowList)
    let server = try RPCServer(
      bind: "tcp://127.0.0.1:*", router: setup.router(), logger: logger,
      security: ServerSecurity(keys: setup.server, store: store, policy: SecuredSetup.policy))
    let task = Task { await server.run() }
    defer { server.stop(); task.cancel() }
    let annotator = try setup.channel(server, setup.annotator)
    let admin = try setup.channel(server, setup.admin)
    defer { annotator.close(); admin.close() }
    let quick = CallOptions(timeout: .seconds(5))
    #expect(try await annotator.call("Test/Echo", tensor([1]), replying: Tensor.self, options: quick) == tensor([1]))
    #expect(try await admin.call("Test/Echo", tensor([2]), replying: Tensor.self, options: quick) == tensor([2]))
    #expect(server.authentication.refused == 0)

    // Revoke ann1 (its line is gone from the reloaded list).
    let revoked = store.replace(with: try AllowList(setup.allowList.clients.filter { $0.name != "ann1" }))
    #expect(revoked == ["ann1"])
    let start = ContinuousClock.now
    var refusedAfter: Duration?
    while refusedAfter == nil && ContinuousClock.now - start < .seconds(3) {
      do {
        _ = try await annotator.call(
          "Test/Echo", tensor([3]), replying: Tensor.self, options: CallOptions(timeout: .milliseconds(200)))
      } catch let error as ServiceError where [.unauthenticated, .deadlineExceeded].contains(error.code) {
        refusedAfter = ContinuousClock.now - start
      }
    }
    #expect(refusedAfter != nil && refusedAfter! < .seconds(1), "refused after \(String(describing: refusedAfter))")
    // The open connection was dropped: the client reconnected by itself and the ZAP handler refused it.
    #expect(
      await eventually(timeout: .seconds(2)) { server.authentication.refused >= 1 },
      "the revoked key's connection was dropped and its reconnect refused")
    _ = await expectCode(.deadlineExceeded) {
      _ = try await annotator.call(
        "Test/Echo", tensor([4]), replying: Tensor.self, options: CallOptions(timeout: .milliseconds(600)))
    }
    // A new connection with the revoked key gets nothing; the admin (same address) is served after its reconnect.
    let again = try setup.channel(server, setup.annotator)
    defer { again.close() }
    _ = await expectCode(.deadlineExceeded) {
      _ = try await again.call(
        "Test/Echo", tensor([5]), replying: Tensor.self, options: CallOptions(timeout: .milliseconds(600)))
    }
    let served = await eventually(timeout: .seconds(5)) {
      (try? await admin.call("Test/Echo", tensor([6]), replying: Tensor.self, options: quick)) == tensor([6])
    }
    #expect(served, "other keys keep working")
  }

  @Test func progressTopicsAreFilteredByRole() async throws {
    let setup = SecuredSetup()
    let store = AllowListStore(setup.allowList)
    let publisher = try EventPublisher(
      bind: "tcp://127.0.0.1:*", logger: logger,
      security: ServerSecurity(keys: setup.server, store: store),
      annotatorAudience: { annotator, topic in annotator == "ann1" && topic == "experiment-2" })
    defer { publisher.stop() }
    func subscribe(_ keys: CurveKeyPair) throws -> (EventSubscriber, Inbox, Task<Void, Never>) {
      let subscriber = try EventSubscriber(
        connect: publisher.endpoint, logger: logger,
        security: ClientSecurity(keys: keys, serverPublicKey: setup.server.publicKey))
      let inbox = Inbox()
      return (subscriber, inbox, Task { for await event in subscriber.events { inbox.add(event.topic) } })
    }
    let (annotator, annotatorInbox, a) = try subscribe(setup.annotator)
    let (viewer, viewerInbox, v) = try subscribe(setup.viewer)
    defer { annotator.stop(); viewer.stop(); a.cancel(); v.cancel() }
    #expect(await eventually { publisher.subscriberCount == 2 })
    func publishBoth() {
      for topic in ["experiment-1", "experiment-2"] {
        var event = ProgressEvent()
        event.topic = topic
        publisher.publish(event)
      }
    }
    #expect(
      await eventually {
        publishBoth()
        return Set(viewerInbox.all) == ["experiment-1", "experiment-2"] && annotatorInbox.all.contains("experiment-2")
      })
    #expect(!annotatorInbox.all.contains("experiment-1"), "an annotator sees only the experiments it annotates for")

    // A revoked viewer receives nothing more.
    store.replace(with: try AllowList(setup.allowList.clients.filter { $0.name != "vic" }))
    // Events published before the revocation may still be on their way (a loaded machine delivers late): wait
    // until the inbox stops growing before counting.
    var before = viewerInbox.all.count
    repeat {
      before = viewerInbox.all.count
      try await Task.sleep(for: .milliseconds(300))
    } while viewerInbox.all.count != before
    for _ in 0..<5 { publishBoth(); try await Task.sleep(for: .milliseconds(30)) }
    try await Task.sleep(for: .milliseconds(200))
    #expect(viewerInbox.all.count == before, "a revoked key gets no more events")
  }

  @Test func aFileBackedStoreReloadsOnlyWhenTheFileChangesAndKeepsItsListOnABadFile() throws {
    let directory = try TemporaryDirectory("allow-list")
    defer { directory.remove() }
    let setup = SecuredSetup()
    let path = directory.file("allow-list")
    try setup.allowList.text.write(toFile: path, atomically: false, encoding: .utf8)
    let store = AllowListStore(try AllowList.load(path: path), path: path)
    #expect(try store.reloadIfChanged() == nil, "unchanged file, no reload")
    let fewer = try AllowList(setup.allowList.clients.filter { $0.name != "vic" })
    try fewer.text.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(try store.reloadIfChanged() == ["vic"])
    #expect(store.current.client(named: "vic") == nil)
    try "garbage line\n".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: SecurityError.self) { try store.reloadIfChanged() }
    #expect(store.current.clients.count == 3, "a file that does not parse leaves the list in force")
    #expect(try store.reloadIfChanged() == nil, "a bad file is reported once per change")
  }
}
