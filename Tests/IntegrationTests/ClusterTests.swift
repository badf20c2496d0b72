// The five services as separate processes on 127.0.0.1: health, a C client, hostile frames at every service,
// a worker killed with SIGKILL dropped by the gateway, and a clean stop with nothing left running.
import Foundation
import Glibc
import Launcher
import Logging
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

let logger: Logger = {
  var logger = Logger(label: "integration")
  logger.logLevel = .warning
  return logger
}()

func health(_ endpoint: String, _ method: String) async throws -> HealthReply {
  let channel = try ZMQChannel(connect: endpoint, logger: logger)
  defer { channel.close() }
  return try await channel.call(
    method, HealthRequest(), replying: HealthReply.self, options: .idempotent(timeout: .seconds(5)))
}

@Suite(.serialized) struct ClusterTests {
  @Test func fiveServicesStartAnswerSurviveBadInputAndStop() async throws {
    let cluster = try LocalCluster()
    try cluster.start(trainers: 2, embedders: 1)

    // Every service answers Health with its own name.
    let services = [
      ("storage", "Storage/Health", "rpc"), ("selector", "Selector/Health", "rpc"),
      ("gateway", "Gateway/Health", "rpc"), ("trainer-1", "Trainer/Health", "control"),
      ("trainer-2", "Trainer/Health", "control"), ("embedder-1", "Embedder/Health", "control")
    ]
    for (name, method, key) in services {
      let reply = try await health(cluster.endpoint(name, key), method)
      #expect(reply.service == String(name.split(separator: "-")[0]))
      #expect(reply.version == ActiveSegVersion.current)
      #expect(reply.pid == cluster.processes[name]!.pid)
    }
    let gateway = cluster.endpoint("gateway")
    #expect(
      await eventually {
        (try? await health(gateway, "Gateway/Health").workers.map(\.workerID).sorted()) == [
          "embedder-1", "trainer-1", "trainer-2"
        ]
      }, "the gateway lists all three workers")

    // Thousands of random and truncated frames at every service; each keeps serving.
    for (index, (name, method, key)) in services.enumerated() {
      let replies = try await FrameFuzzer.run(
        endpoint: cluster.endpoint(name, key), method: method,
        count: 2000, seed: UInt64(index + 1), logger: logger)
      #expect(replies > 500, "\(name) answers hostile frames with error replies")
      let reply = try await health(cluster.endpoint(name, key), method)
      #expect(reply.service == String(name.split(separator: "-")[0]), "\(name) still serves after the fuzzing")
      #expect(ServiceProcess.isAlive(cluster.processes[name]!.pid))
    }

    // SIGKILL one trainer: the gateway drops it from its worker list.
    cluster.kill("trainer-1")
    #expect(
      await eventually {
        (try? await health(gateway, "Gateway/Health").workers.map(\.workerID).sorted()) == ["embedder-1", "trainer-2"]
      }, "the gateway drops the killed worker")

    // A new worker joins a running gateway.
    try cluster.addWorker("trainer-3", kind: "trainer")
    #expect(
      await eventually {
        (try? await health(gateway, "Gateway/Health").workers.map(\.workerID).sorted()) == [
          "embedder-1", "trainer-2", "trainer-3"
        ]
      })

    let pids = cluster.processes.values.map(\.pid)
    let forced = cluster.stop()
    #expect(forced.isEmpty, "every service stops on SIGTERM within 5 s")
    #expect(pids.allSatisfy { !ServiceProcess.isAlive($0) }, "nothing is left running")
    cluster.directory.remove()
  }

  @Test func cClientReadsTheGatewaysReplies() async throws {
    let cluster = try LocalCluster()
    try cluster.start(trainers: 1, embedders: 0)
    defer { cluster.stop() }
    let build = try TemporaryDirectory("c-client")
    defer { build.remove() }
    // Generate protobuf-c code from the same .proto files and build the client, as a C integrator would.
    let protos = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/proto/activeseg/v1")
      .filter { $0.hasSuffix(".proto") }.sorted().map { "activeseg/v1/\($0)" }
    let generate = try await runCommand(
      "/usr/bin/protoc-c", ["-I", repositoryRoot + "/proto", "--c_out=" + build.path] + protos)
    #expect(generate.status == 0, "protoc-c accepts every .proto: \(generate.output)")
    let sources = protos.map { build.path + "/" + $0.replacingOccurrences(of: ".proto", with: ".pb-c.c") }
    let compile = try await runCommand(
      "/usr/bin/cc",
      ["-Wall", "-Werror", "-I", build.path, repositoryRoot + "/Tests/Interop/health_client.c"]
        + sources + ["-lprotobuf-c", "-lzmq", "-o", build.file("health_client")])
    #expect(compile.status == 0, "the C client builds: \(compile.output)")
    _ = await eventually { (try? await health(cluster.endpoint("gateway"), "Gateway/Health").workers.count) == 1 }
    let run = try await runCommand(build.file("health_client"), [cluster.endpoint("gateway")])
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("service=gateway version=\(ActiveSegVersion.current)"))
    #expect(run.output.contains("workers=1"))
    #expect(run.output.contains("worker=trainer-1 kind=trainer"))
    #expect(run.output.contains("unknown_method_status=8 message=unknown method 'Gateway/NoSuchMethod'"))
  }
}
