// `activeseg down`: stops every service started by `up`, workers first; nothing is left running.
import ArgumentParser
import Foundation
import Launcher

struct Down: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Stop the services started by `activeseg up`.")

  @OptionGroup var run: RunOptions

  func run() async throws {
    let dir = RunDirectory(path: run.runDir)
    // The supervisor first, so it does not restart what is being stopped.
    if let supervisor = dir.supervisorPID() {
      if ServiceProcess.isAlive(supervisor) { ServiceProcess.stop(pid: supervisor) }
      try? FileManager.default.removeItem(atPath: dir.supervisorFile)
    }
    let services = dir.load()
    if services.isEmpty {
      say("nothing to stop in \(dir.path)")
      return
    }
    // Workers first (they say goodbye to the gateway), then the gateway, selector, storage last.
    let order = services.sorted { rank($0.name) < rank($1.name) }
    for service in order {
      guard ServiceProcess.isAlive(service.pid) else {
        say("\(service.name) (pid \(service.pid)) had already stopped; its log: \(service.log)")
        continue
      }
      let graceful = ServiceProcess.stop(pid: service.pid)
      say("stopped \(service.name) (pid \(service.pid))\(graceful ? "" : " with SIGKILL after 5 s")")
    }
    dir.clear()
  }

  private func rank(_ name: String) -> Int {
    if name.hasPrefix("trainer") || name.hasPrefix("embedder") { return 0 }
    return ["gateway": 1, "selector": 2, "storage": 3][name] ?? 4
  }
}
