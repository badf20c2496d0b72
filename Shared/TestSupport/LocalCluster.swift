// Starts the five service executables as child processes on 127.0.0.1 with free ports, for integration
// tests. Each child is tied to the test by its stdin (--exit-on-stdin-eof), so none outlives the test run.
// A secured cluster makes its keys with `activeseg keys generate` and starts every service with --secure.
import Foundation
import Glibc
import Launcher
import Messaging

public final class LocalCluster: @unchecked Sendable {
  public let directory: TemporaryDirectory
  public private(set) var processes: [String: ServiceProcess] = [:]
  /// How each service was launched and what it bound, for `restart`.
  private var launched: [String: (executable: String, arguments: [String], prefix: [String])] = [:]
  private var endpoints: [String: [String: String]] = [:]
  /// Fast heartbeats so tests see dead workers dropped within a second or two.
  public static let heartbeatEnvironment = [
    "GATEWAY_HEARTBEAT_MS": "100", "GATEWAY_HEARTBEAT_TIMEOUT_MS": "800",
    "TRAINER_HEARTBEAT_MS": "100", "TRAINER_HEARTBEAT_TIMEOUT_MS": "800",
    "EMBEDDER_HEARTBEAT_MS": "100", "EMBEDDER_HEARTBEAT_TIMEOUT_MS": "800"
  ]

  /// Extra environment for every service started from now on (e.g. GATEWAY_LEASE_SECONDS for a short lease).
  public var environment: [String: String] = [:]

  /// The key folder of a secured cluster (nil: security off).
  public let keysDirectory: String?

  /// With `secureClients` (name:role, ...), keys for every service and those clients are made first and every
  /// service starts with security on.
  public init(secureClients: String? = nil) throws {
    directory = try TemporaryDirectory("activeseg-cluster")
    guard let secureClients else {
      keysDirectory = nil
      return
    }
    let keys = directory.file("keys")
    let made = try runCommandBlocking(
      ServiceProcess.binDirectory() + "/activeseg",
      ["keys", "generate", "--dir", keys, "--clients", secureClients], environment: [:])
    guard made.status == 0 else { throw SecurityError("activeseg keys generate failed: \(made.output)") }
    keysDirectory = keys
  }

  /// Starts storage, selector, gateway, then `trainers` trainers and `embedders` embedders.
  public func start(trainers: Int = 1, embedders: Int = 1) throws {
    let storage = try launch(
      "storage", "activeseg-storage", ["--bind", "tcp://127.0.0.1:*", "--database", directory.file("db.sqlite")])
    let storageEndpoint = storage.endpoints["rpc"]!
    let selector = try launch(
      "selector", "activeseg-selector", ["--bind", "tcp://127.0.0.1:*", "--storage", storageEndpoint])
    let gateway = try launch(
      "gateway", "activeseg-gateway",
      [
        "--bind", "tcp://127.0.0.1:*", "--work-bind", "tcp://127.0.0.1:*", "--events-bind", "tcp://127.0.0.1:*",
        "--storage", storageEndpoint, "--selector", selector.endpoints["rpc"]!
      ])
    for index in 0..<trainers { try addWorker("trainer-\(index + 1)", kind: "trainer") }
    for index in 0..<embedders { try addWorker("embedder-\(index + 1)", kind: "embedder") }
    _ = gateway
  }

  /// Starts one more worker connected to this cluster's gateway.
  @discardableResult
  public func addWorker(_ name: String, kind: String) throws -> ServiceProcess {
    try launch(
      name, "activeseg-\(kind)",
      [
        "--gateway", endpoint("gateway", "work"), "--storage", endpoint("storage", "rpc"),
        "--id", name
      ])
  }

  public func endpoint(_ name: String, _ key: String = "rpc") -> String {
    processes[name]?.endpoints[key] ?? ""
  }

  /// Starts one service tied to the test; `prefix` runs it through a command that execs it in place
  /// (`["/usr/sbin/ip", "netns", "exec", NS]` puts it in a network namespace; see NetnsTests).
  @discardableResult
  public func launch(_ name: String, _ executable: String, _ arguments: [String], prefix: [String] = []) throws
    -> ServiceProcess
  {
    let process = try ServiceProcess.start(
      name: name, executable: executable,
      arguments: arguments + ["--exit-on-stdin-eof"] + (keysDirectory.map { ["--secure", "--keys-dir", $0] } ?? []),
      environment: Self.heartbeatEnvironment.merging(environment) { $1 }, logPath: directory.file("\(name).log"),
      detach: false, launchPrefix: prefix)
    processes[name] = process
    if launched[name] == nil { launched[name] = (executable, arguments, prefix) }
    endpoints[name] = process.endpoints
    return process
  }

  /// Kills one service with a signal (SIGKILL: no goodbye, no clean-up) and reaps it.
  public func kill(_ name: String, signal: Int32 = SIGKILL) {
    guard let process = processes.removeValue(forKey: name) else { return }
    Glibc.kill(process.pid, signal)
    var status: Int32 = 0
    _ = waitpid(process.pid, &status, 0)
    if let fd = process.stdinFD { close(fd) }
  }

  /// Starts `name` again with the arguments it had, on the endpoints it had bound (so the others reconnect),
  /// after `kill(name)`.
  @discardableResult
  public func restart(_ name: String) throws -> ServiceProcess {
    guard let (executable, arguments, prefix) = launched[name] else {
      preconditionFailure("\(name) was never launched")
    }
    let previous = endpoints[name] ?? [:]
    var rebound: [String] = []
    var index = 0
    while index < arguments.count {
      let flag = arguments[index]
      if index + 1 < arguments.count, arguments[index + 1] == "tcp://127.0.0.1:*", let key = Self.bindKeys[flag],
        let endpoint = previous[key]
      {
        rebound += [flag, endpoint]
        index += 2
      } else {
        rebound.append(flag)
        index += 1
      }
    }
    return try launch(name, executable, rebound, prefix: prefix)
  }

  /// Which endpoint each bind flag produced.
  static let bindKeys = ["--bind": "rpc", "--work-bind": "work", "--events-bind": "events"]

  /// Stops every service with SIGTERM (SIGKILL after 5 s). Returns the names that needed SIGKILL.
  @discardableResult
  public func stop() -> [String] {
    var forced: [String] = []
    for (name, process) in processes.sorted(by: { $0.key > $1.key }) {
      if !ServiceProcess.stop(pid: process.pid) { forced.append(name) }
      if let fd = process.stdinFD { close(fd) }
    }
    processes = [:]
    return forced
  }

  /// The log of one service, for failure messages.
  public func log(_ name: String) -> String {
    (try? String(contentsOfFile: directory.file("\(name).log"), encoding: .utf8)) ?? ""
  }

  deinit { stop() }
}

/// The repository's root folder (for tests that read proto/ or compose/).
public let repositoryRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
    url.deleteLastPathComponent()
  }
  return url.path
}()

/// Runs a command on a thread of its own (never blocking the cooperative pool, which has one thread per core)
/// and returns its exit status and combined output.
public func runCommand(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws
  -> (status: Int32, output: String)
{
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      continuation.resume(with: Result { try runCommandBlocking(executable, arguments, environment: environment) })
    }
    thread.start()
  }
}

/// The blocking form of `runCommand`, for synchronous code (set-up and clean-up in `defer`).
public func runCommandBlocking(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
  -> (status: Int32, output: String)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  for (key, value) in environment { env[key] = value }
  process.environment = env
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
