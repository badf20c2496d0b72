// The ZAP handler (ZeroMQ RFC 27): a REP socket on inproc://zeromq.zap.01, on a thread of its own, that libzmq
// asks about every CURVE handshake. It accepts a client only when its public key is on the allow-list of the
// server socket's ZAP domain (and its role is one that socket takes), and names the client in User-Id. It reads
// the domain's allow-list store as it is at each handshake, and when a reload revokes a name it drops the open
// connections that name was accepted on.
import CZeroMQ
import Foundation
import Logging
import Synchronization

/// How many handshakes a ZAP domain accepted and refused.
public struct AuthenticationCounts: Sendable, Equatable {
  public var accepted = 0
  public var refused = 0
}

/// The ZAP handler of one context. Made by `ZMQContext.zapHandler()`; stopped when the context goes away.
public final class ZAPHandler: Sendable {
  struct Domain: Sendable {
    var store: AllowListStore
    var roles: Set<Role>?
    var counts = AuthenticationCounts()
    /// The TCP port the domain's socket is bound to (nil before it binds, and for ipc).
    var port: UInt16?
    /// The peer addresses each accepted name connected from, for dropping them on revocation.
    var accepted: [String: Set<String>] = [:]
  }

  private let domains = Mutex<[String: Domain]>([:])
  private let stopping = Atomic<Bool>(false)
  private let finished = DispatchSemaphore(value: 0)
  private let logger: Logger

  /// Binds the ZAP endpoint in `context` and starts answering on a new thread.
  init(context: UnsafeMutableRawPointer, logger: Logger) throws {
    self.logger = logger
    let started = DispatchSemaphore(value: 0)
    let failure = Mutex<ZMQError?>(nil)
    nonisolated(unsafe) let context = context  // a libzmq context is thread-safe
    let thread = Thread { [self] in
      guard let socket = zmq_socket(context, ZMQ_REP) else {
        failure.withLock { $0 = ZMQError(call: "zmq_socket ZMQ_REP (ZAP)", errno: zmq_errno()) }
        started.signal()
        finished.signal()
        return
      }
      var linger: Int32 = 0
      zmq_setsockopt(socket, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
      if zmq_bind(socket, "inproc://zeromq.zap.01") == -1 {
        failure.withLock { $0 = ZMQError(call: "zmq_bind inproc://zeromq.zap.01", errno: zmq_errno()) }
        zmq_close(socket)
        started.signal()
        finished.signal()
        return
      }
      started.signal()
      serve(socket)
      zmq_close(socket)
      finished.signal()
    }
    thread.name = "zmq-zap"
    thread.start()
    started.wait()
    if let error = failure.withLock({ $0 }) { throw error }
  }

  /// Lets CURVE clients on `store`'s list (with one of `roles`, nil = any) into server sockets of `domain`, and
  /// drops their connections when a reload of `store` revokes them.
  public func register(domain: String, store: AllowListStore, roles: Set<Role>? = nil) {
    domains.withLock { $0[domain] = Domain(store: store, roles: roles) }
    store.onRevoke { [weak self] names in self?.revoked(names, domain: domain) }
  }

  /// Records the endpoint the domain's socket bound, so that its connections can be found later.
  func bound(domain: String, endpoint: String) {
    guard endpoint.hasPrefix("tcp://"), let port = endpoint.split(separator: ":").last.flatMap({ UInt16($0) }) else {
      return
    }
    domains.withLock { $0[domain]?.port = port }
  }

  /// Drops the connections of `names` on the domain's socket.
  private func revoked(_ names: Set<String>, domain: String) {
    let (port, peers) = domains.withLock { domains -> (UInt16?, Set<String>) in
      guard var entry = domains[domain] else { return (nil, []) }
      let peers = names.reduce(into: Set<String>()) { $0.formUnion(entry.accepted[$1] ?? []) }
      for name in names { entry.accepted[name] = nil }
      domains[domain] = entry
      return (entry.port, peers)
    }
    guard let port, !peers.isEmpty else { return }
    let dropped = ConnectionDropper.drop(localPort: port, peers: peers)
    logger.info(
      "revoked keys: dropped their connections",
      metadata: [
        "domain": "\(domain)", "names": "\(names.sorted())", "connections": "\(dropped)"
      ])
  }

  /// What `domain` has accepted and refused so far.
  public func counts(domain: String) -> AuthenticationCounts {
    domains.withLock { $0[domain]?.counts ?? AuthenticationCounts() }
  }

  func stop() {
    guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
    finished.wait()
  }

  // MARK: - The handler loop (its own thread)

  private func serve(_ socket: UnsafeMutableRawPointer) {
    while !stopping.load(ordering: .acquiring) {
      var item = zmq_pollitem_t(socket: socket, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
      guard zmq_poll(&item, 1, 200) > 0 else { continue }
      guard let request = Self.receive(socket) else { continue }
      let reply = answer(request)
      for (index, frame) in reply.enumerated() {
        _ = frame.withUnsafeBytes {
          zmq_send(socket, $0.baseAddress, $0.count, index + 1 < reply.count ? ZMQ_SNDMORE : 0)
        }
      }
    }
  }

  /// The reply to one ZAP request: [version, request id, status code, status text, user id, metadata].
  func answer(_ request: [[UInt8]]) -> [[UInt8]] {
    func reply(_ code: String, _ text: String, user: String = "") -> [[UInt8]] {
      [Array("1.0".utf8), request.count > 1 ? request[1] : [], Array(code.utf8), Array(text.utf8), Array(user.utf8), []]
    }
    // version, request id, domain, address, routing id, mechanism, credentials...
    guard request.count >= 6, String(decoding: request[0], as: UTF8.self) == "1.0" else {
      return reply("500", "malformed ZAP request")
    }
    let domain = String(decoding: request[2], as: UTF8.self)
    let address = String(decoding: request[3], as: UTF8.self)
    let mechanism = String(decoding: request[5], as: UTF8.self)
    let key = request.count == 7 ? CurveKeyPair.z85(request[6]) : nil
    // A plain socket (no domain, NULL mechanism) is none of our business: libzmq only asks when a handler exists.
    if domain.isEmpty && mechanism == "NULL" { return reply("200", "OK") }
    return domains.withLock { domains in
      guard var entry = domains[domain] else {
        logger.warning(
          "refused a client: its server socket has an unknown ZAP domain", metadata: ["domain": "\(domain)"])
        return reply("400", "unknown domain")
      }
      defer { domains[domain] = entry }
      guard mechanism == "CURVE", let key else {
        entry.counts.refused += 1
        logger.warning(
          "refused a client without a CURVE key",
          metadata: ["domain": "\(domain)", "address": "\(address)", "mechanism": "\(mechanism)"])
        return reply("400", "CURVE required")
      }
      guard let client = entry.store.current.client(publicKey: key), entry.roles?.contains(client.role) ?? true else {
        entry.counts.refused += 1
        logger.warning(
          "refused a client whose key is not allowed here",
          metadata: ["domain": "\(domain)", "address": "\(address)", "key": "\(key)"])
        return reply("400", "key not allowed")
      }
      entry.counts.accepted += 1
      entry.accepted[client.name, default: []].insert(address)
      logger.debug(
        "accepted a client", metadata: ["domain": "\(domain)", "client": "\(client.name)", "role": "\(client.role)"])
      return reply("200", "OK", user: client.name)
    }
  }

  private static func receive(_ socket: UnsafeMutableRawPointer) -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    var message = zmq_msg_t()
    zmq_msg_init(&message)
    defer { zmq_msg_close(&message) }
    while true {
      guard zmq_msg_recv(&message, socket, 0) != -1 else { return nil }
      let size = zmq_msg_size(&message)
      frames.append(size == 0 ? [] : [UInt8](UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: size)))
      if zmq_msg_more(&message) == 0 { return frames }
    }
  }
}
