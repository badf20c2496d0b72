// Reads HDF5 files in a child process (`HDF5ChildServer`), one request at a time over a pair of pipes. libhdf5
// 1.10 can crash, not fail, on a damaged file (a NULL read in its symbol-table code); in the child that becomes
// an error naming the file, and the next file gets a new child. A child that does not answer within `timeout`
// is killed the same way.
import Foundation
import Glibc
import Synchronization

public final class HDF5ChildReader: HDF5Reading {
  private struct Child {
    let pid: pid_t
    /// Our ends: requests go to `requests`, replies come from `replies`.
    let requests: Int32
    let replies: Int32
  }

  /// The executable started with `--hdf5-child` (one whose main calls `HDF5ChildServer.serveIfAsked`).
  public let executable: String
  /// Seconds a child may take to answer one request.
  public let timeout: Double
  private let child = Mutex<Child?>(nil)

  /// A reader whose children are `executable` (default: this process's own executable).
  public init(executable: String? = nil, timeout: Double = 120) {
    self.executable =
      executable ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    self.timeout = timeout
  }

  deinit { child.withLock { if let running = $0 { Self.stop(running) } } }

  public func read(_ path: String, datasets names: [String]) throws -> [String: HDF5Dataset] {
    try call(.read, path, names) { reply in
      var sets: [String: HDF5Dataset] = [:]
      for _ in 0..<(try reply.u32()) {
        let name = try reply.string()
        let shape = try HDF5Wire.dims(from: reply)
        sets[name] = HDF5Dataset(shape: shape, values: try reply.floats(shape.reduce(1, *)))
      }
      return sets
    }
  }

  public func shape(_ path: String, dataset name: String) throws -> [Int]? {
    try call(.shape, path, [name]) { reply in try reply.u8() == 0 ? nil : try HDF5Wire.dims(from: reply) }
  }

  /// Sends one request and decodes its reply; a child that dies or stalls on it is reaped and named in the error.
  private func call<T>(
    _ op: HDF5Wire.Op, _ path: String, _ names: [String], decode: (HDF5Wire.Reader) throws -> T
  ) throws -> T {
    var request = HDF5Wire.Writer()
    request.u8(op.rawValue)
    request.string(path)
    request.u32(names.count)
    for name in names { request.string(name) }
    return try child.withLock { current in
      let running = try current ?? spawn()
      current = running
      let reply = HDF5Wire.Reader { [timeout] in try PipeIO.read(running.replies, count: $0, timeout: timeout) }
      do {
        try PipeIO.write(running.requests, request.bytes)
        guard try reply.u8() == 0 else {
          throw DatasetError(code: DatasetError.Code(try reply.string()), message: try reply.string(), path: path)
        }
        return try decode(reply)
      } catch let error as DatasetError {
        throw error
      } catch {
        current = nil
        let how = Self.stop(running)
        let stalled = (error as? PipeIO.Failed)?.reason == "timeout"
        throw DatasetError(
          code: .hdf5,
          message: stalled
            ? "libhdf5 did not finish reading \(path) in \(Int(timeout)) s and was stopped; the file is damaged or not HDF5, regenerate it with h5py"
            : "libhdf5 crashed reading \(path) (its reader process \(how)); the file is damaged, regenerate it with h5py",
          path: path)
      }
    }
  }

  /// Starts a child with its stdin and fd 3 on new pipes (stdout and stderr stay this process's).
  private func spawn() throws -> Child {
    signal(SIGPIPE, SIG_IGN)  // a dead child's pipe must give EPIPE, not kill this process
    var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
    // Close-on-exec: only the dup2'd copies reach the child, so its end of file is this reader's close.
    guard pipe(&toChild) == 0, pipe(&fromChild) == 0,
      (toChild + fromChild).allSatisfy({ fcntl($0, F_SETFD, FD_CLOEXEC) == 0 })
    else {
      throw DatasetError(
        code: .io, message: "cannot make a pipe for the HDF5 reader: \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], HDF5ChildServer.replyFD)
    let arguments = [executable, HDF5ChildServer.flag]
    var argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
    close(toChild[0])
    close(fromChild[1])
    guard status == 0 else {
      close(toChild[1])
      close(fromChild[0])
      throw DatasetError(
        code: .io, message: "cannot start the HDF5 reader \(executable): \(String(cString: strerror(status)))")
    }
    return Child(pid: pid, requests: toChild[1], replies: fromChild[0])
  }

  /// Kills and reaps `child`; says how it ended ("was killed by signal 11 (Segmentation fault)", "exited with 1").
  @discardableResult
  private static func stop(_ child: Child) -> String {
    close(child.requests)
    close(child.replies)
    var status: Int32 = 0
    // A crashed child is dead or dying (its pipe closed as it died): wait up to 100 ms; one that stalled or
    // answered nonsense is killed.
    var ended = false
    for _ in 0..<100 {
      if waitpid(child.pid, &status, WNOHANG) == child.pid {
        ended = true
        break
      }
      usleep(1000)
    }
    if !ended {
      kill(child.pid, SIGKILL)
      waitpid(child.pid, &status, 0)
      return "was stopped"
    }
    let signal = status & 0x7f
    if signal != 0 { return "was killed by signal \(signal) (\(String(cString: strsignal(signal))))" }
    return "exited with \((status >> 8) & 0xff)"
  }
}
