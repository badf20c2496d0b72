// A libzmq socket, owned by the one thread that created it (checked on every call).
import CZeroMQ
import Glibc

/// A message: its frames, in order.
public typealias Frames = [[UInt8]]

/// A libzmq socket. Deliberately not `Sendable`: it must be used only on the thread that created it,
/// which every call checks. Other code reaches it through a `SocketLoop`.
public final class ZMQSocket {
  public enum Kind: Sendable {
    case router, dealer, publisher, subscriber

    var raw: Int32 {
      switch self {
      case .router: ZMQ_ROUTER
      case .dealer: ZMQ_DEALER
      case .publisher: ZMQ_PUB
      case .subscriber: ZMQ_SUB
      }
    }
  }

  let handle: UnsafeMutableRawPointer
  let kind: Kind
  private let owner = pthread_self()
  private var closed = false
  /// On CURVE server sockets: read each message's `User-Id` (set by the ZAP handler).
  var readsUserID = false
  /// On router sockets: read each message's `Peer-Address` (the sender's IP), for limits without security.
  var readsPeerAddress = false

  init(context: ZMQContext, kind: Kind) throws(ZMQError) {
    guard let handle = zmq_socket(context.handle, kind.raw) else {
      throw ZMQError(call: "zmq_socket", errno: zmq_errno())
    }
    self.handle = handle
    self.kind = kind
    try setOption(ZMQ_LINGER, int32: 0)
  }

  deinit { close() }

  private func checkOwner() {
    precondition(pthread_equal(owner, pthread_self()) != 0, "a ZMQSocket was used off the thread that owns it")
  }

  func setOption(_ option: Int32, int32 value: Int32) throws(ZMQError) {
    checkOwner()
    var value = value
    try zmqCheck(zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size), "zmq_setsockopt \(option)")
  }

  func setOption(_ option: Int32, int64 value: Int64) throws(ZMQError) {
    checkOwner()
    var value = value
    try zmqCheck(zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size), "zmq_setsockopt \(option)")
  }

  func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
    checkOwner()
    let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
    try zmqCheck(rc, "zmq_setsockopt \(option)")
  }

  /// Binds and returns the endpoint actually bound (a `*` port resolved to the real one).
  func bind(_ endpoint: String) throws(ZMQError) -> String {
    checkOwner()
    try zmqCheck(zmq_bind(handle, endpoint), "zmq_bind \(endpoint)")
    var buffer = [CChar](repeating: 0, count: 512)
    var size = buffer.count
    try zmqCheck(zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size), "zmq_getsockopt ZMQ_LAST_ENDPOINT")
    let bound = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // A wildcard address is bound on all interfaces; report one that a local client can connect to.
    return bound.replacingOccurrences(of: "tcp://0.0.0.0:", with: "tcp://127.0.0.1:")
  }

  func connect(_ endpoint: String) throws(ZMQError) {
    checkOwner()
    try zmqCheck(zmq_connect(handle, endpoint), "zmq_connect \(endpoint)")
  }

  /// Sends every frame without blocking. Returns false, sending nothing, when the socket cannot take it now.
  func send(_ frames: Frames) throws(ZMQError) -> Bool {
    checkOwner()
    for (index, frame) in frames.enumerated() {
      let more = index + 1 < frames.count
      let flags = ZMQ_DONTWAIT | (more ? ZMQ_SNDMORE : 0)
      let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
      if rc == -1 {
        let error = ZMQError(call: "zmq_send", errno: zmq_errno())
        // libzmq queues all parts of a message atomically once the first is accepted.
        if error.isAgain && index == 0 { return false }
        throw error
      }
    }
    return true
  }

  /// Receives one whole message without blocking, or nil when none is waiting.
  func receive() throws(ZMQError) -> Received? {
    checkOwner()
    var frames: Frames = []
    var userID: String?
    var peerAddress: String?
    var message = zmq_msg_t()
    zmq_msg_init(&message)
    defer { zmq_msg_close(&message) }
    while true {
      let rc = zmq_msg_recv(&message, handle, frames.isEmpty ? ZMQ_DONTWAIT : 0)
      if rc == -1 {
        let error = ZMQError(call: "zmq_msg_recv", errno: zmq_errno())
        if frames.isEmpty && (error.isAgain || error.isInterrupted) { return nil }
        if error.isInterrupted { continue }
        throw error
      }
      // A ROUTER makes the routing-id frame itself; the frames read from the wire carry the metadata.
      if userID == nil && readsUserID, let property = zmq_msg_gets(&message, "User-Id") {
        userID = String(cString: property)
      }
      if peerAddress == nil && readsPeerAddress, let property = zmq_msg_gets(&message, "Peer-Address") {
        peerAddress = String(cString: property)
      }
      let size = zmq_msg_size(&message)
      if size == 0 {
        frames.append([])
      } else {
        let data = zmq_msg_data(&message)!
        frames.append([UInt8](UnsafeRawBufferPointer(start: data, count: size)))
      }
      if zmq_msg_more(&message) == 0 { return Received(frames: frames, userID: userID, peerAddress: peerAddress) }
    }
  }

  func close() {
    guard !closed else { return }
    closed = true
    zmq_close(handle)
  }
}
