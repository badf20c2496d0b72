// A lease runs out: a slice an annotator leased and abandoned goes to the next annotator after
// --lease-seconds, and the first one's late submission is then refused, naming who holds it now. A lease
// outlives its gateway: after a SIGKILL and a restart, the slices alice held are still hers.
import Foundation
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct LeaseTests {
  /// Storage, selector and a gateway with `leaseSeconds`, a 6-patient phantom and a running experiment whose
  /// annotators are people.
  struct Desk {
    let cluster: LocalCluster
    let id: Int64
    /// The gateway's RPC endpoint, which a restarted gateway binds again.
    let endpoint: String

    func gateway() throws -> ZMQChannel { try ZMQChannel(connect: endpoint, logger: logger) }

    /// Leases up to `count` picks for `annotator`.
    func next(_ annotator: String, count: Int32 = 100, on gateway: ZMQChannel) async throws -> [Int64] {
      var request = Activeseg_V1_AnnotateNextRequest()
      request.experimentID = id
      request.annotator = annotator
      request.count = count
      return try await gateway.call("Gateway/AnnotateNext", request, replying: Activeseg_V1_AnnotateNextReply.self)
        .slices.map(\.sliceID)
    }

    /// Waits for the round's picks to reach the desk and leases `count` of them to `annotator`.
    func firstLease(_ annotator: String, count: Int32 = 100, on gateway: ZMQChannel) async -> [Int64] {
      var leased: [Int64] = []
      _ = await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
        leased = (try? await next(annotator, count: count, on: gateway)) ?? []
        return !leased.isEmpty
      }
      return leased
    }
  }

  static func desk(leaseSeconds: Int) async throws -> Desk {
    let cluster = try LocalCluster()
    let storageEndpoint = try cluster.launch(
      "storage", "activeseg-storage", ["--bind", "tcp://127.0.0.1:*", "--database", cluster.directory.file("db.sqlite")]
    ).endpoints["rpc"]!
    let selector = try cluster.launch(
      "selector", "activeseg-selector", ["--bind", "tcp://127.0.0.1:*", "--storage", storageEndpoint])
    let endpoint = try cluster.launch(
      "gateway", "activeseg-gateway",
      [
        "--bind", "tcp://127.0.0.1:*", "--work-bind", "tcp://127.0.0.1:*", "--events-bind", "tcp://127.0.0.1:*",
        "--storage", storageEndpoint, "--selector", selector.endpoints["rpc"]!, "--lease-seconds", "\(leaseSeconds)"
      ]
    ).endpoints["rpc"]!
    let storage = try ZMQChannel(connect: storageEndpoint, logger: logger)
    defer { storage.close() }
    _ = try await storage.call(
      "Storage/Import", Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32),
      replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    let gateway = try ZMQChannel(connect: endpoint, logger: logger)
    defer { gateway.close() }
    let id = try await LoopTests.run(
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.1]}\npreset: smoke\nannotators: people\n",
      gateway)
    return Desk(cluster: cluster, id: id, endpoint: endpoint)
  }

  @Test func anAbandonedLeaseGoesToTheNextAnnotator() async throws {
    let desk = try await Self.desk(leaseSeconds: 3)
    defer { desk.cluster.stop() }
    let gateway = try desk.gateway()
    defer { gateway.close() }
    let alice = await desk.firstLease("alice", on: gateway)
    #expect(!alice.isEmpty)
    #expect(try await desk.next("bob", on: gateway).isEmpty, "while alice's leases hold, bob gets nothing")
    try await Task.sleep(for: .milliseconds(3500))
    let bob = try await desk.next("bob", on: gateway)
    #expect(Set(bob) == Set(alice), "after the lease ran out bob gets alice's slices")
    var submit = Activeseg_V1_AnnotateSubmitRequest()
    submit.experimentID = desk.id
    submit.sliceID = alice[0]
    submit.annotator = "alice"
    submit.mask = WireTensor(uint8: [UInt8](repeating: 0, count: 32 * 32), shape: [32, 32])
    do {
      _ = try await gateway.call("Gateway/AnnotateSubmit", submit, replying: Activeseg_V1_AnnotateSubmitReply.self)
      Issue.record("alice's submission of a slice now leased to bob was stored")
    } catch let error as ServiceError {
      #expect(error.code == .failedPrecondition && error.message.contains("leased to 'bob'"), "\(error)")
    }
    desk.cluster.directory.remove()
  }

  @Test func aKilledGatewaysSuccessorKeepsTheLeasesItGranted() async throws {
    let desk = try await Self.desk(leaseSeconds: 600)
    defer { desk.cluster.stop() }
    var gateway = try desk.gateway()
    let alice = await desk.firstLease("alice", count: 2, on: gateway)
    #expect(alice.count == 2)
    gateway.close()
    desk.cluster.kill("gateway")
    try desk.cluster.restart("gateway")  // resumes the running experiment by itself, on the same endpoints
    gateway = try desk.gateway()
    defer { gateway.close() }
    // The resumed round's picks are back on the desk with alice's leases: bob gets the others, never hers.
    let bob = await desk.firstLease("bob", on: gateway)
    #expect(!bob.isEmpty && Set(bob).isDisjoint(with: alice), "bob got \(bob), alice holds \(alice)")
    #expect(Set(try await desk.next("alice", count: 2, on: gateway)) == Set(alice), "alice's leases are renewed")
    desk.cluster.directory.remove()
  }
}
