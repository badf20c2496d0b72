// One socket on one dedicated thread: it polls the socket and a wake-up pipe, sends what others put in
// its outbox, and hands what arrives to an AsyncStream. Blocking libzmq calls never touch the cooperative pool.
import CZeroMQ
import Foundation
import Glibc
import Logging
import Synchronization

/// How a loop's socket is set up, on the loop's own thread, before it starts polling.
public struct SocketSetup: Sendable {
  public enum Attach: Sendable {
    case bind(String)
    case connect(String)
  }

  public var kind: ZMQSocket.Kind
  public var attach: Attach
  /// `ZMQ_SUBSCRIBE` prefixes for subscriber sockets ("" = everything).
  public var subscriptions: [String] = []
  /// `ZMQ_MAXMSGSIZE`: a peer that sends a larger frame is disconnected by libzmq. -1 = no limit.
  public var maxMessageBytes: Int64 = -1
  /// `ZMQ_SNDHWM` / `ZMQ_RCVHWM` in messages.
  public var highWaterMark: Int32 = 1000
  /// For routers: report unroutable replies instead of silently dropping them.
  public var routerMandatory = true
  /// Socket identity (`ZMQ_ROUTING_ID`) for dealers, so a broker can recognise a reconnecting peer.
  public var identity: [UInt8]? = nil
  /// For routers: a peer reconnecting with a known identity takes over the old connection.
  public var routerHandover = false
  /// CurveZMQ: none, server (clients checked by the context's ZAP handler) or client.
  public var security: SocketSecurity = .none

  public init(kind: ZMQSocket.Kind, attach: Attach) {
    self.kind = kind
    self.attach = attach
  }
}

/// One received message, with the authenticated name of its sender on a CURVE server socket.
public struct Received: Sendable {
  public var frames: Frames
  /// The `User-Id` the ZAP handler gave the sender (its allow-list name); nil on plain sockets.
  public var userID: String?
  /// The sender's IP address (libzmq's `Peer-Address`) on router sockets over tcp; nil over ipc and inproc.
  public var peerAddress: String?

  public init(frames: Frames, userID: String? = nil, peerAddress: String? = nil) {
    self.frames = frames
    self.userID = userID
    self.peerAddress = peerAddress
  }
}

/// A socket owned by a dedicated thread. `send` may be called from anywhere; messages arrive on `incoming`.
public final class SocketLoop: Sendable {
  /// Every whole message the socket receives, in order. Finishes when the loop stops.
  public let incoming: AsyncStream<Received>
  /// The endpoint bound or connected to (a `*` port resolved).
  public let endpoint: String
  private let core: LoopCore

  /// Creates the socket on a new thread, attaches it, and starts polling. Throws what the attach threw.
  public init(context: ZMQContext, setup: SocketSetup, name: String, logger: Logger) throws {
    let core = try LoopCore(name: name, logger: logger)
    let (stream, continuation) = AsyncStream.makeStream(of: Received.self, bufferingPolicy: .unbounded)
    let started = DispatchSemaphore(value: 0)
    let result = Mutex<Result<String, any Error>?>(nil)
    let thread = Thread {
      let socket: ZMQSocket
      do {
        socket = try ZMQSocket(context: context, kind: setup.kind)
        let endpoint = try LoopCore.configure(socket, setup)
        result.withLock { $0 = .success(endpoint) }
      } catch {
        result.withLock { $0 = .failure(error) }
        started.signal()
        continuation.finish()
        core.finished.signal()
        return
      }
      started.signal()
      core.poll(socket, deliver: continuation)
      socket.close()
      continuation.finish()
      core.finished.signal()
    }
    thread.name = "zmq-\(name)"
    thread.start()
    started.wait()
    self.core = core
    self.incoming = stream
    switch result.withLock({ $0 })! {
    case .success(let endpoint): self.endpoint = endpoint
    case .failure(let error): throw error
    }
    if case .server(_, let domain) = setup.security {
      try? context.zapHandler(logger: logger).bound(domain: domain, endpoint: endpoint)
    }
  }

  deinit { stop() }

  /// Queues a message for sending and wakes the loop. Never blocks.
  public func send(_ frames: Frames) {
    core.outbox.withLock { $0.append(frames) }
    core.wake()
  }

  /// Stops the loop, closes the socket and waits for the thread to end. Idempotent.
  public func stop() { core.stop() }
}

/// The state shared between a `SocketLoop` and its thread.
final class LoopCore: Sendable {
  let outbox = Mutex<[Frames]>([])
  let finished = DispatchSemaphore(value: 0)
  private let stopping = Atomic<Bool>(false)
  private let wakeRead: Int32
  private let wakeWrite: Int32
  private let name: String
  private let logger: Logger

  init(name: String, logger: Logger) throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw ZMQError(call: "pipe", errno: errno) }
    for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    wakeRead = fds[0]
    wakeWrite = fds[1]
    self.name = name
    self.logger = logger
  }

  deinit {
    close(wakeRead)
    close(wakeWrite)
  }

  func wake() {
    var byte: UInt8 = 1
    _ = write(wakeWrite, &byte, 1)
  }

  func stop() {
    guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else {
      return
    }
    wake()
    finished.wait()
  }

  static func configure(_ socket: ZMQSocket, _ setup: SocketSetup) throws -> String {
    try socket.setOption(ZMQ_SNDHWM, int32: setup.highWaterMark)
    try socket.setOption(ZMQ_RCVHWM, int32: setup.highWaterMark)
    try socket.setOption(ZMQ_MAXMSGSIZE, int64: setup.maxMessageBytes)
    socket.readsPeerAddress = setup.kind == .router
    if setup.kind == .router && setup.routerMandatory { try socket.setOption(ZMQ_ROUTER_MANDATORY, int32: 1) }
    if setup.kind == .router && setup.routerHandover { try socket.setOption(ZMQ_ROUTER_HANDOVER, int32: 1) }
    if let identity = setup.identity { try socket.setOption(ZMQ_ROUTING_ID, bytes: identity) }
    switch setup.security {
    case .none: break
    case .server(let keys, let domain):
      try socket.setOption(ZMQ_ZAP_DOMAIN, bytes: Array(domain.utf8))
      try socket.setOption(ZMQ_CURVE_SERVER, int32: 1)
      try socket.setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(keys.secretKey.utf8))
      socket.readsUserID = true
    case .client(let keys, let serverPublicKey):
      try socket.setOption(ZMQ_CURVE_SERVERKEY, bytes: Array(serverPublicKey.utf8))
      try socket.setOption(ZMQ_CURVE_PUBLICKEY, bytes: Array(keys.publicKey.utf8))
      try socket.setOption(ZMQ_CURVE_SECRETKEY, bytes: Array(keys.secretKey.utf8))
    }
    for prefix in setup.subscriptions { try socket.setOption(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8)) }
    switch setup.attach {
    case .bind(let endpoint): return try socket.bind(endpoint)
    case .connect(let endpoint):
      try socket.connect(endpoint)
      return endpoint
    }
  }

  // MARK: - The loop (runs on the socket's thread only)

  func poll(_ socket: ZMQSocket, deliver: AsyncStream<Received>.Continuation) {
    var pending: [Frames] = []
    var drain = [UInt8](repeating: 0, count: 256)
    let receives = socket.kind != .publisher
    while !stopping.load(ordering: .acquiring) {
      let events = (receives ? ZMQ_POLLIN : 0) | (pending.isEmpty ? 0 : ZMQ_POLLOUT)
      var items = [
        zmq_pollitem_t(socket: socket.handle, fd: 0, events: Int16(events), revents: 0),
        zmq_pollitem_t(socket: nil, fd: wakeRead, events: Int16(ZMQ_POLLIN), revents: 0)
      ]
      let rc = zmq_poll(&items, 2, pending.isEmpty ? 1000 : 10)
      if rc == -1 && zmq_errno() != EINTR {
        logger.error("zmq_poll failed", metadata: ["errno": "\(zmq_errno())", "socket": "\(name)"])
        return
      }
      if items[1].revents != 0 { while read(wakeRead, &drain, drain.count) > 0 {} }
      pending.append(
        contentsOf: outbox.withLock { box in
          defer { box.removeAll(keepingCapacity: true) }; return box
        })
      flush(&pending, socket)
      // Receive a bounded batch per turn so a flood of input cannot starve the outbox.
      for _ in 0..<(receives ? 256 : 0) {
        do {
          guard let received = try socket.receive() else { break }
          deliver.yield(received)
        } catch {
          logger.warning("receive failed", metadata: ["error": "\(error)", "socket": "\(name)"])
          break
        }
      }
    }
  }

  private func flush(_ pending: inout [Frames], _ socket: ZMQSocket) {
    var sent = 0
    for frames in pending {
      do {
        guard try socket.send(frames) else { break }  // full: keep the rest for the next turn
      } catch  where error.errno == EHOSTUNREACH {
        logger.debug("dropped a message to a peer that is gone", metadata: ["socket": "\(name)"])
      } catch {
        logger.warning("send failed; message dropped", metadata: ["error": "\(error)", "socket": "\(name)"])
      }
      sent += 1
    }
    pending.removeFirst(sent)
  }
}
