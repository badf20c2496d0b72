// Whole reads and writes on a pipe's file descriptor, with an optional deadline for reads.
import Glibc

enum PipeIO {
  struct Failed: Error {
    /// What failed: "timeout", or the errno text.
    let reason: String
  }

  /// Reads `count` bytes, fewer only when the stream ends; throws `Failed("timeout")` when no byte arrives for
  /// `timeout` seconds.
  static func read(_ fd: Int32, count: Int, timeout: Double?) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      if let timeout {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        if ready == 0 { throw Failed(reason: "timeout") }
        if ready < 0 && errno != EINTR { throw Failed(reason: String(cString: strerror(errno))) }
        if ready < 0 { continue }
      }
      let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, count - filled) }
      if got == 0 { break }
      if got < 0 {
        if errno == EINTR { continue }
        throw Failed(reason: String(cString: strerror(errno)))
      }
      filled += got
    }
    return filled == count ? bytes : Array(bytes[..<filled])
  }

  static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
    var sent = 0
    while sent < bytes.count {
      let wrote = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, bytes.count - sent) }
      if wrote < 0 {
        if errno == EINTR { continue }
        throw Failed(reason: String(cString: strerror(errno)))
      }
      sent += wrote
    }
  }
}
