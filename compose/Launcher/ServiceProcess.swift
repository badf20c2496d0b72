// Starts a service executable as a child process with its output in a log file, and waits for its READY line.
// Used by `activeseg up` (detached, in its own session) and by the integration tests (tied to the test by stdin).
import Foundation
import Glibc

/// A failure to start or find a service, naming the executable and the log to read.
public struct LaunchError: Error, CustomStringConvertible {
  public let description: String
}

/// A running service process.
public struct ServiceProcess: Sendable {
  public let name: String
  public let pid: pid_t
  public let logPath: String
  /// The `key=value` pairs of its READY line (`rpc`, `work`, `events`, `control`, `worker`).
  public let endpoints: [String: String]
  /// Write end of its stdin when it was started tied to us; closing it stops a service run with --exit-on-stdin-eof.
  public let stdinFD: Int32?

  /// Where the service executables are: `ACTIVESEG_BIN_DIR`, else the folder of the running executable
  /// (the build folder for `swift run` and `swift test`, or wherever they were installed together).
  public static func binDirectory() -> String {
    if let dir = ProcessInfo.processInfo.environment["ACTIVESEG_BIN_DIR"], !dir.isEmpty { return dir }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // An XCTest bundle lives in <build>/ActiveSegPackageTests.xctest; the executables sit beside the bundle.
    if dir.path.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.path
  }

  /// Starts `executable` with `arguments`, output to `logPath`. With `detach`, the child gets its own session
  /// and stdin from /dev/null (it outlives us); otherwise its stdin is a pipe we hold (`stdinFD`).
  /// A `launchPrefix` (a full path first, e.g. `["/usr/sbin/ip", "netns", "exec", "ns1"]`) runs the service
  /// through that command; it must exec the service in place (as `ip netns exec` does), so `pid` stays the service's.
  public static func start(
    name: String, executable: String, arguments: [String], environment: [String: String] = [:],
    logPath: String, detach: Bool, readyTimeout: Duration = .seconds(30), launchPrefix: [String] = []
  ) throws -> ServiceProcess {
    let path = executable.contains("/") ? executable : binDirectory() + "/" + executable
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw LaunchError(description: "cannot find the service executable \(path); build with `swift build` or set ACTIVESEG_BIN_DIR to the folder holding activeseg-*")
    }
    keepPreviousLogs(logPath)
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var stdinPipe: [Int32] = [-1, -1]
    if detach {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    } else {
      guard pipe(&stdinPipe) == 0 else { throw LaunchError(description: "pipe failed: \(String(cString: strerror(errno)))") }
      _ = fcntl(stdinPipe[1], F_SETFD, FD_CLOEXEC)
      posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
      posix_spawn_file_actions_addclose(&actions, stdinPipe[0])
    }
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    if detach { posix_spawnattr_setflags(&attributes, posixSpawnSetsid) }

    // Children must not inherit our other descriptors (a caller's output pipe would never see EOF).
    markDescriptorsCloseOnExec()
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let program = launchPrefix.first ?? path
    let argv = (launchPrefix + [path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
    if !detach { close(stdinPipe[0]) }
    guard rc == 0 else { throw LaunchError(description: "cannot start \(program): \(String(cString: strerror(rc)))") }

    let endpoints = try waitReady(name: name, pid: pid, logPath: logPath, timeout: readyTimeout)
    return ServiceProcess(name: name, pid: pid, logPath: logPath, endpoints: endpoints,
                          stdinFD: detach ? nil : stdinPipe[1])
  }

  /// How many earlier logs of a service are kept beside its current one (`NAME.log.1` is the latest).
  public static let keptLogs = 3

  /// Moves a non-empty log at `path` to `path.1` (and `.1` to `.2`, …, dropping the oldest), so a service that
  /// is started again — by the supervisor after a crash, or by the next `up` — does not erase why the last
  /// one ended.
  static func keepPreviousLogs(_ path: String) {
    let files = FileManager.default
    guard let size = (try? files.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 0 else {
      return
    }
    try? files.removeItem(atPath: "\(path).\(keptLogs)")
    for generation in stride(from: keptLogs - 1, through: 1, by: -1) {
      try? files.moveItem(atPath: "\(path).\(generation)", toPath: "\(path).\(generation + 1)")
    }
    try? files.moveItem(atPath: path, toPath: "\(path).1")
  }

  /// Polls the log for `READY k=v ...`; fails with the log's tail if the process exits or time runs out.
  static func waitReady(name: String, pid: pid_t, logPath: String, timeout: Duration) throws -> [String: String] {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("READY") }) {
        var endpoints: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst() {
          let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
          if kv.count == 2 { endpoints[kv[0]] = kv[1] }
        }
        return endpoints
      }
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        throw LaunchError(description: "\(name) exited during start-up; its log \(logPath) ends with:\n\(tail(log))")
      }
      usleep(20_000)
    }
    kill(pid, SIGKILL)
    throw LaunchError(description: "\(name) did not print READY within \(timeout); its log \(logPath) ends with:\n\(tail((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))")
  }

  static func tail(_ log: String) -> String {
    log.split(separator: "\n").suffix(15).joined(separator: "\n")
  }

  /// Sends SIGTERM, waits up to `grace`, then SIGKILL. Returns whether it stopped by itself.
  @discardableResult
  public static func stop(pid: pid_t, grace: Duration = .seconds(5)) -> Bool {
    guard kill(pid, SIGTERM) == 0 else { return true }  // already gone
    let deadline = ContinuousClock.now + grace
    while ContinuousClock.now < deadline {
      var status: Int32 = 0
      let reaped = waitpid(pid, &status, WNOHANG)
      if reaped == pid || (reaped == -1 && kill(pid, 0) != 0) { return true }
      usleep(20_000)
    }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    return false
  }

  /// Whether a process with this pid is alive (and not a zombie of ours).
  public static func isAlive(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid { return false }
    return kill(pid, 0) == 0
  }
}

/// Sets FD_CLOEXEC on every open descriptor above stderr.
private func markDescriptorsCloseOnExec() {
  guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
  for fd in entries.compactMap(Int32.init) where fd > 2 {
    let flags = fcntl(fd, F_GETFD)
    if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
  }
}

/// glibc's POSIX_SPAWN_SETSID (0x80), which Swift's Glibc module does not import without _GNU_SOURCE.
private let posixSpawnSetsid: Int16 = 0x80
