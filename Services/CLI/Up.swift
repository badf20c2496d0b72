// `activeseg up`: starts the five services locally as background processes.
import ArgumentParser
import Foundation
import Launcher

struct Up: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start storage, selector, gateway, N trainers and an embedder as background processes.")

  @OptionGroup var run: RunOptions
  @Option(help: "Number of trainer workers to start.") var trainers = 1
  @Option(help: "Number of embedder workers to start.") var embedders = 1
  @Option(help: "First of five consecutive ports: gateway, work, events, storage, selector.") var portBase = 5550
  @Option(help: "Host the services bind to (0.0.0.0 lets remote workers reach the gateway).") var host = "127.0.0.1"
  @Option(help: "The storage database (default: <run-dir>/activeseg.sqlite).") var database: String?
  @Flag(help: "CurveZMQ on every socket, with keys in --keys-dir (made there if missing, with an admin client key).")
  var secure = false
  @Option(help: "Key folder for --secure (default: <run-dir>/keys).") var keysDir: String?
  @Flag(help: "Do not restart services that die (by default a supervisor restarts them; `status` shows the count).")
  var noRestart = false
  @Option(
    help:
      "Also start the annotation page (activeseg-web) on this HTTP port, with sign-in tokens from <run-dir>/web-tokens (`activeseg keys web-token`)."
  )
  var webPort: Int?

  func validate() throws {
    guard trainers >= 0, embedders >= 0 else { throw ValidationError("--trainers and --embedders must be 0 or more") }
    guard (1024...65530).contains(portBase) else { throw ValidationError("--port-base must be between 1024 and 65530") }
    if let webPort, !(1...65535).contains(webPort) { throw ValidationError("--web-port must be between 1 and 65535") }
  }

  func run() async throws {
    let dir = RunDirectory(path: run.runDir)
    if !dir.alive().isEmpty {
      throw CLIFailure.refused(
        "services are already running from \(dir.path); run `activeseg down` first (or use another --run-dir)")
    }
    // A supervisor left from services that all died would restart the old records; the new `up` replaces it.
    if let old = dir.supervisorPID(), ServiceProcess.isAlive(old) { ServiceProcess.stop(pid: old) }
    let tokens = dir.path + "/web-tokens"
    if webPort != nil && !FileManager.default.fileExists(atPath: tokens) {
      throw CLIFailure(
        kind: .notFound,
        message:
          "--web-port: \(tokens) does not exist; make a sign-in token first with `activeseg keys web-token --name NAME --run-dir \(dir.path)`"
      )
    }
    try FileManager.default.createDirectory(atPath: dir.logs, withIntermediateDirectories: true)
    let local = host == "0.0.0.0" ? "127.0.0.1" : host
    func endpoint(_ offset: Int, bind: Bool) -> String { "tcp://\(bind ? host : local):\(portBase + offset)" }
    let storage = endpoint(3, bind: false), work = endpoint(1, bind: false)
    var securityArguments: [String] = []
    if secure {
      let keys = URL(fileURLWithPath: keysDir ?? dir.path + "/keys").standardizedFileURL.path
      let made = try KeySet.ensure(directory: keys, clients: [("admin", .admin)])
      if made.contains(where: { $0.hasPrefix("made") }) { say("made CurveZMQ keys and the allow-list in \(keys)") }
      securityArguments = ["--secure", "--keys-dir", keys]
      try dir.recordSecurity(keysDirectory: keys)
    } else {
      try dir.recordSecurity(keysDirectory: nil)
    }
    var plan: [(String, String, [String])] = [
      (
        "storage", "activeseg-storage",
        ["--bind", endpoint(3, bind: true), "--database", database ?? dir.path + "/activeseg.sqlite"]
      ),
      ("selector", "activeseg-selector", ["--bind", endpoint(4, bind: true), "--storage", storage]),
      (
        "gateway", "activeseg-gateway",
        [
          "--bind", endpoint(0, bind: true), "--work-bind", endpoint(1, bind: true),
          "--events-bind", endpoint(2, bind: true), "--storage", storage,
          "--selector", endpoint(4, bind: false)
        ]
      )
    ]
    if let webPort {
      plan.append(
        (
          "web", "activeseg-web",
          ["--host", host, "--port", "\(webPort)", "--gateway", endpoint(0, bind: false), "--tokens", tokens]
        ))
    }
    for index in 0..<trainers {
      plan.append(("trainer-\(index + 1)", "activeseg-trainer", ["--gateway", work, "--storage", storage]))
    }
    for index in 0..<embedders {
      plan.append(("embedder-\(index + 1)", "activeseg-embedder", ["--gateway", work, "--storage", storage]))
    }
    var started: [RecordedService] = []
    do {
      for (name, executable, arguments) in plan {
        let log = "\(dir.logs)/\(name).log"
        // libgomp reads OMP_WAIT_POLICY before main: spinning OpenMP workers slow every process on a shared machine.
        let environment =
          ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] == nil ? ["OMP_WAIT_POLICY": "PASSIVE"] : [:]
        let process = try ServiceProcess.start(
          name: name, executable: executable, arguments: arguments + securityArguments, environment: environment,
          logPath: log, detach: true)
        started.append(
          RecordedService(
            name: name, executable: executable, pid: process.pid, endpoints: process.endpoints, log: log,
            arguments: arguments + securityArguments, environment: environment, restarts: 0))
        try dir.save(started)
        say(
          "started \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) pid \(process.pid)  \(process.endpoints.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
      }
      if !noRestart {
        let supervisor = try ServiceProcess.start(
          name: "supervisor", executable: "activeseg", arguments: ["supervise", "--run-dir", dir.path],
          logPath: "\(dir.logs)/supervisor.log", detach: true)
        try "\(supervisor.pid)".write(toFile: dir.supervisorFile, atomically: true, encoding: .utf8)
      }
    } catch {
      for service in started.reversed() { ServiceProcess.stop(pid: service.pid) }
      dir.clear()
      throw error
    }
    say(
      "all \(started.count) services are up\(noRestart ? "" : ", restarted if they die")\(secure ? " with CurveZMQ security (client keys in \(dir.securedKeysDirectory() ?? ""))" : ""); logs in \(dir.logs). `activeseg status` shows their health, `activeseg down` stops them."
    )
  }
}
