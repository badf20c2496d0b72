// Drops open TCP connections of a server socket from given peer addresses. libzmq has no call to disconnect one
// peer of a bound socket, so this finds the connections among the process's file descriptors (Linux /proc) and
// shuts them down; libzmq sees the end of the stream and closes its side. A client that reconnects goes through
// the ZAP handler again.
import Foundation
import Glibc

enum ConnectionDropper {
  /// Shuts down every TCP connection accepted on local `port` whose peer is one of `addresses` (IP text as libzmq
  /// gives it to the ZAP handler). Returns how many were shut down.
  @discardableResult
  static func drop(localPort: UInt16, peers addresses: Set<String>) -> Int {
    guard !addresses.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else {
      return 0
    }
    var dropped = 0
    for entry in entries {
      guard let fd = Int32(entry) else { continue }
      var info = stat()
      guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { continue }
      guard let local = address(fd, getsockname), local.port == localPort,
        let peer = address(fd, getpeername), addresses.contains(peer.host)
      else { continue }
      if shutdown(fd, Int32(SHUT_RDWR)) == 0 { dropped += 1 }
    }
    return dropped
  }

  /// The IPv4 or IPv6 address and port `call` (getsockname or getpeername) reports for `fd`.
  private static func address(
    _ fd: Int32, _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
  ) -> (host: String, port: UInt16)? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let rc = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, &length) }
    }
    guard rc == 0 else { return nil }
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(storage.ss_family) {
    case AF_INET:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
          var raw = sin.pointee.sin_addr
          guard inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil else { return nil }
          return (String(cString: text), UInt16(bigEndian: sin.pointee.sin_port))
        }
      }
    case AF_INET6:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
          var raw = sin.pointee.sin6_addr
          guard inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil else { return nil }
          return (String(cString: text), UInt16(bigEndian: sin.pointee.sin6_port))
        }
      }
    default:
      return nil
    }
  }
}
