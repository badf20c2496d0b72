// `activeseg status`: each service's health and the gateway's worker list.
import ArgumentParser
import Foundation
import Logging
import Messaging
import Protos
import ServiceKit

struct Status: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Show each service's health and the gateway's workers.")

  @OptionGroup var run: RunOptions
  @Option(help: "Ask this gateway instead of the local services (e.g. tcp://host:5550).") var gateway: String?
  @OptionGroup var keys: ClientKeyOptions

  func run() async throws {
    let logger = Logger(label: "activeseg.cli")
    let dir = RunDirectory(path: run.runDir)
    var targets: [(String, String, String)] = []  // name, endpoint, health method
    if let gateway {
      targets = [("gateway", gateway, "Gateway/Health")]
    } else {
      let services = dir.load()
      guard !services.isEmpty else {
        throw ValidationError("no services recorded in \(dir.path); start them with `activeseg up`")
      }
      for service in services {
        let method = service.name.split(separator: "-").first.map { "\($0.capitalized)/Health" } ?? ""
        targets.append((service.name, service.endpoints["rpc"] ?? service.endpoints["control"] ?? "", method))
      }
    }
    var down = 0
    for (name, endpoint, method) in targets {
      do {
        let server = String(name.split(separator: "-").first ?? "")
        let channel = try ZMQChannel(connect: endpoint, logger: logger, security: try keys.client(of: server, runDir: run.runDir))
        defer { channel.close() }
        let health = try await channel.call(method, HealthRequest(), replying: HealthReply.self,
                                            options: .idempotent(timeout: .seconds(2), caller: "cli"))
        print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) up    \(endpoint)  v\(health.version)  pid \(health.pid)  uptime \(String(format: "%.1f", health.uptimeSeconds)) s  \(health.detail)")
        if health.service == "gateway" {
          print("  workers: \(health.workers.count)")
          for worker in health.workers {
            print("    \(worker.workerID)  \(worker.kind)  pid \(worker.pid)  last heartbeat \(String(format: "%.1f", worker.secondsSinceHeartbeat)) s ago  \(worker.currentJobID.isEmpty ? "idle" : "job \(worker.currentJobID)")  jobs done \(worker.jobsDone)")
          }
        }
      } catch {
        down += 1
        print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) DOWN  \(endpoint)  \(error)")
      }
    }
    if down > 0 { throw ExitCode(1) }
  }
}
