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
  @Flag(help: "Print JSON (one object per service, with its workers) instead of text.") var json = false

  func run() async throws {
    let logger = Logger(label: "activeseg.cli")
    let dir = RunDirectory(path: run.runDir)
    var targets: [(String, String, String, Int?)] = []  // name, endpoint, health method, restarts
    if let gateway {
      targets = [("gateway", gateway, "Gateway/Health", nil)]
    } else {
      let services = dir.load()
      guard !services.isEmpty else {
        throw CLIFailure.unavailable("no services recorded in \(dir.path); start them with `activeseg up`")
      }
      for service in services {
        let method = service.name.split(separator: "-").first.map { "\($0.capitalized)/Health" } ?? ""
        targets.append(
          (service.name, service.endpoints["rpc"] ?? service.endpoints["control"] ?? "", method, service.restarts))
      }
    }
    var down = 0
    var objects: [[String: Any]] = []
    for (name, endpoint, method, restarts) in targets {
      var object: [String: Any] = ["name": name, "endpoint": endpoint]
      if let restarts { object["restarts"] = restarts }
      let restartNote = restarts.map { "  restarts \($0)" } ?? ""
      defer { objects.append(object) }
      do {
        let server = String(name.split(separator: "-").first ?? "")
        let channel = try ZMQChannel(
          connect: endpoint, logger: logger, security: try keys.client(of: server, runDir: run.runDir))
        defer { channel.close() }
        let health = try await channel.call(
          method, HealthRequest(), replying: HealthReply.self,
          options: .idempotent(timeout: .seconds(2), caller: "cli"))
        object.merge([
          "state": "up", "version": health.version, "pid": health.pid, "uptime_seconds": health.uptimeSeconds,
          "detail": health.detail
        ]) { $1 }
        if !json {
          print(
            "\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) up    \(endpoint)  v\(health.version)  pid \(health.pid)  uptime \(String(format: "%.1f", health.uptimeSeconds)) s\(restartNote)  \(health.detail)"
          )
        }
        if health.service == "gateway" {
          object["workers"] = health.workers.map { worker in
            [
              "id": worker.workerID, "kind": worker.kind, "pid": worker.pid,
              "seconds_since_heartbeat": worker.secondsSinceHeartbeat,
              "job": worker.currentJobID, "jobs_done": worker.jobsDone
            ] as [String: Any]
          }
          if !json { print("  workers: \(health.workers.count)") }
          for worker in health.workers where !json {
            print(
              "    \(worker.workerID)  \(worker.kind)  pid \(worker.pid)  last heartbeat \(String(format: "%.1f", worker.secondsSinceHeartbeat)) s ago  \(worker.currentJobID.isEmpty ? "idle" : "job \(worker.currentJobID)")  jobs done \(worker.jobsDone)"
            )
          }
        }
      } catch {
        down += 1
        object["state"] = "down"
        object["error"] = "\(error)"
        if !json {
          print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) DOWN  \(endpoint)\(restartNote)  \(error)")
        }
      }
    }
    if json { say(try Listing.json(objects)) }
    if down > 0 {
      throw CLIFailure.unavailable(
        "\(down) of \(targets.count) service(s) are down: \(objects.filter { $0["state"] as? String == "down" }.compactMap { $0["name"] as? String }.joined(separator: ", "))"
      )
    }
  }
}
