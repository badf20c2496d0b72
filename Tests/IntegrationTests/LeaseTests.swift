// A lease runs out: a slice an annotator leased and abandoned goes to the next annotator after
// --lease-seconds, and the first one's late submission is then refused, naming who holds it now.
import Foundation
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct LeaseTests {
  @Test func anAbandonedLeaseGoesToTheNextAnnotator() async throws {
    let cluster = try LocalCluster()
    defer { cluster.stop() }
    let storageEndpoint = try cluster.launch(
      "storage", "activeseg-storage", ["--bind", "tcp://127.0.0.1:*", "--database", cluster.directory.file("db.sqlite")]
    ).endpoints["rpc"]!
    let selector = try cluster.launch(
      "selector", "activeseg-selector", ["--bind", "tcp://127.0.0.1:*", "--storage", storageEndpoint])
    let gatewayProcess = try cluster.launch(
      "gateway", "activeseg-gateway",
      [
        "--bind", "tcp://127.0.0.1:*", "--work-bind", "tcp://127.0.0.1:*", "--events-bind", "tcp://127.0.0.1:*",
        "--storage", storageEndpoint, "--selector", selector.endpoints["rpc"]!, "--lease-seconds", "3"
      ])
    let storage = try ZMQChannel(connect: storageEndpoint, logger: logger)
    defer { storage.close() }
    _ = try await storage.call(
      "Storage/Import", Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32),
      replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    let gateway = try ZMQChannel(connect: gatewayProcess.endpoints["rpc"]!, logger: logger)
    defer { gateway.close() }
    let id = try await LoopTests.run(
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.1]}\npreset: smoke\nannotators: people\n",
      gateway)
    func next(_ annotator: String, count: Int32 = 100) async throws -> [Int64] {
      var request = Activeseg_V1_AnnotateNextRequest()
      request.experimentID = id
      request.annotator = annotator
      request.count = count
      return try await gateway.call("Gateway/AnnotateNext", request, replying: Activeseg_V1_AnnotateNextReply.self)
        .slices.map(\.sliceID)
    }
    var alice: [Int64] = []
    #expect(
      await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
        alice = (try? await next("alice")) ?? []; return !alice.isEmpty
      })
    #expect(try await next("bob").isEmpty, "while alice's leases hold, bob gets nothing")
    try await Task.sleep(for: .milliseconds(3500))
    let bob = try await next("bob")
    #expect(Set(bob) == Set(alice), "after the lease ran out bob gets alice's slices")
    var submit = Activeseg_V1_AnnotateSubmitRequest()
    submit.experimentID = id
    submit.sliceID = alice[0]
    submit.annotator = "alice"
    submit.mask = WireTensor(uint8: [UInt8](repeating: 0, count: 32 * 32), shape: [32, 32])
    do {
      _ = try await gateway.call("Gateway/AnnotateSubmit", submit, replying: Activeseg_V1_AnnotateSubmitReply.self)
      Issue.record("alice's submission of a slice now leased to bob was stored")
    } catch let error as ServiceError {
      #expect(error.code == .failedPrecondition && error.message.contains("leased to 'bob'"), "\(error)")
    }
    cluster.directory.remove()
  }
}
