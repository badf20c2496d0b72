// The run folder of locally started services: services.json (pids, endpoints, logs) and logs/.
import Foundation
import Launcher

/// One started service as recorded in `services.json`: how it was started (so the supervisor can start it
/// again), its pid, what it bound and how often it was restarted.
struct RecordedService: Codable {
  var name: String
  var executable: String
  var pid: Int32
  var endpoints: [String: String]
  var log: String
  var arguments: [String]? = nil
  var environment: [String: String]? = nil
  var restarts: Int? = nil
}

struct RunDirectory {
  static var defaultPath: String {
    ProcessInfo.processInfo.environment["ACTIVESEG_RUN_DIR"] ?? FileManager.default.currentDirectoryPath + "/.activeseg"
  }

  let path: String
  var stateFile: String { path + "/services.json" }
  var logs: String { path + "/logs" }

  func load() -> [RecordedService] {
    guard let data = FileManager.default.contents(atPath: stateFile) else { return [] }
    return (try? JSONDecoder().decode([RecordedService].self, from: data)) ?? []
  }

  func save(_ services: [RecordedService]) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(services).write(to: URL(fileURLWithPath: stateFile), options: .atomic)
  }

  func clear() { try? FileManager.default.removeItem(atPath: stateFile) }

  /// `security` holds the keys folder when `up --secure` started the services.
  var securityFile: String { path + "/security" }

  func recordSecurity(keysDirectory: String?) throws {
    if let keysDirectory {
      try keysDirectory.write(toFile: securityFile, atomically: true, encoding: .utf8)
    } else {
      try? FileManager.default.removeItem(atPath: securityFile)
    }
  }

  /// The keys folder of secured local services, or nil when they run without security.
  func securedKeysDirectory() -> String? {
    (try? String(contentsOfFile: securityFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func alive() -> [RecordedService] { load().filter { ServiceProcess.isAlive($0.pid) } }

  /// The supervisor `up` started (it restarts services that die), recorded by its pid.
  var supervisorFile: String { path + "/supervisor.pid" }

  func supervisorPID() -> Int32? {
    (try? String(contentsOfFile: supervisorFile, encoding: .utf8)).flatMap {
      Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }
}
