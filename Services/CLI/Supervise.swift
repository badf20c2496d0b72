// `activeseg supervise` (started by `up`, not by people): restarts a service of the run folder that dies, with
// the arguments it was started with, and counts its restarts in services.json for `status`. A service that
// keeps dying is retried after 1, 2, 4 … up to 30 s. It stops when `down` stops it or the run folder is cleared.
import ArgumentParser
import Foundation
import Glibc
import Launcher

struct Supervise: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Restart the services of a run folder when they die (started by `activeseg up`).", shouldDisplay: false)

  @OptionGroup var run: RunOptions
  @Option(help: "Milliseconds between checks.") var intervalMs = 500

  func run() async throws {
    let dir = RunDirectory(path: run.runDir)
    signal(SIGTERM) { _ in Supervise.stopping = 1 }
    signal(SIGINT) { _ in Supervise.stopping = 1 }
    var nextTry: [String: (at: ContinuousClock.Instant, delay: Duration)] = [:]
    say("READY supervising=\(dir.path) pid=\(getpid())")
    while Supervise.stopping == 0 {
      usleep(useconds_t(intervalMs * 1000))
      guard Supervise.stopping == 0 else { break }
      var services = dir.load()
      guard !services.isEmpty else { break }  // `down` cleared the folder
      var changed = false
      for index in services.indices where !ServiceProcess.isAlive(services[index].pid) {
        let service = services[index]
        let now = ContinuousClock.now
        if let wait = nextTry[service.name], now < wait.at { continue }
        guard let arguments = service.arguments else { continue }  // recorded by an older `up`: not restartable
        say("\(service.name) (pid \(service.pid)) died; restarting it")
        do {
          let process = try ServiceProcess.start(
            name: service.name, executable: service.executable, arguments: arguments,
            environment: service.environment ?? [:], logPath: service.log, detach: true)
          services[index].pid = process.pid
          services[index].endpoints = process.endpoints
          services[index].restarts = (service.restarts ?? 0) + 1
          changed = true
          say("restarted \(service.name): pid \(process.pid) (restart \(services[index].restarts ?? 0))")
          nextTry[service.name] = (
            now + .seconds(1), nextTry[service.name].map { min($0.delay * 2, .seconds(30)) } ?? .seconds(1)
          )
        } catch {
          let delay = nextTry[service.name].map { min($0.delay * 2, .seconds(30)) } ?? .seconds(1)
          nextTry[service.name] = (ContinuousClock.now + delay, delay)
          say("could not restart \(service.name) (next try in \(delay)): \(error)")
        }
      }
      // A service that stayed up a minute starts its back-off afresh.
      for (name, wait) in nextTry where ContinuousClock.now - wait.at > .seconds(60) { nextTry[name] = nil }
      if changed, Supervise.stopping == 0, !dir.load().isEmpty { try dir.save(services) }
    }
    try? FileManager.default.removeItem(atPath: dir.supervisorFile)
    say("supervisor stopped")
  }

  nonisolated(unsafe) static var stopping: sig_atomic_t = 0
}
