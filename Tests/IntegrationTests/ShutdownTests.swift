// `down` (SIGTERM) while the gateway runs an experiment must end it within 5 s with nothing left running
// inside: the experiment tasks are cancelled and awaited, an annotation wait is released, and the experiment
// stays "running" in storage so the next gateway resumes it.
import Foundation
import Glibc
import Messaging
import Protos
import Testing
import TestSupport

@Suite(.serialized) struct ShutdownTests {
  /// SIGTERM to the gateway and the seconds until it exited.
  static func terminate(_ cluster: LocalCluster) -> Double {
    let started = ContinuousClock.now
    cluster.kill("gateway", signal: SIGTERM)
    let elapsed = ContinuousClock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  @Test func theGatewayStopsWithinSecondsWhileARoundWaitsForPeople() async throws {
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    let id = try await LoopTests.run(
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.3]}\npreset: smoke\nannotators: people\n",
      gateway)
    var next = Activeseg_V1_AnnotateNextRequest()
    next.experimentID = id
    next.annotator = "alice"
    let waiting = await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
      ((try? await gateway.call("Gateway/AnnotateNext", next, replying: Activeseg_V1_AnnotateNextReply.self))?.slices
        .isEmpty == false)
    }
    #expect(waiting, "the round waits for people")
    let seconds = Self.terminate(cluster)
    #expect(seconds < 5, "the gateway took \(seconds) s to stop")
    let log = cluster.log("gateway")
    #expect(
      log.contains("shutdown: cancelled 1 experiment task(s), released 1 annotation wait(s)"), "\(log.suffix(2000))")
    #expect(!log.contains("experiment failed"), "a shutdown is not a failure")
    // The next gateway resumes it: the picks are handed out again.
    try cluster.restart("gateway")
    let channel = try ZMQChannel(connect: cluster.endpoint("gateway"), logger: logger)
    defer { channel.close() }
    let again = await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
      ((try? await channel.call("Gateway/AnnotateNext", next, replying: Activeseg_V1_AnnotateNextReply.self))?.slices
        .isEmpty == false)
    }
    #expect(again, "the restarted gateway resumed the round")
    cluster.directory.remove()
  }

  @Test func theGatewayStopsWithinSecondsWhileATrainerTrains() async throws {
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    _ = try await LoopTests.run(LoopTests.definition(), gateway)
    let training = await eventually(timeout: .seconds(60), every: .milliseconds(20)) {
      cluster.log("trainer-1").contains("training started")
    }
    #expect(training)
    let seconds = Self.terminate(cluster)
    #expect(seconds < 5, "the gateway took \(seconds) s to stop")
    #expect(
      cluster.log("gateway").contains("shutdown: cancelled 1 experiment task(s)"),
      "\(cluster.log("gateway").suffix(2000))")
    cluster.directory.remove()
  }
}
