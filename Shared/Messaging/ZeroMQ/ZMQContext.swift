// The libzmq context: one per process in services (`ZMQContext.shared`); tests may make their own.
// A context that serves CURVE sockets also owns their ZAP handler.
import CZeroMQ
import Logging
import Synchronization

/// A libzmq context. Contexts are thread-safe, so this type is `Sendable`; sockets are not.
public final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer
  private let zap = Mutex<ZAPHandler?>(nil)

  /// The process-wide context used by services.
  public static let shared = ZMQContext()

  public init(ioThreads: Int32 = 1) {
    guard let handle = zmq_ctx_new() else { fatalError("zmq_ctx_new failed: out of memory or file descriptors") }
    zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads)
    zmq_ctx_set(handle, ZMQ_BLOCKY, 0)  // sockets default to linger 0: shutdown never hangs on unsent messages
    self.handle = handle
  }

  /// This context's ZAP handler, started on first use (before any CURVE server socket binds).
  public func zapHandler(logger: Logger) throws -> ZAPHandler {
    try zap.withLock { slot in
      if let handler = slot { return handler }
      let handler = try ZAPHandler(context: handle, logger: logger)
      slot = handler
      return handler
    }
  }

  deinit {
    zap.withLock { $0 }?.stop()
    // All sockets of this context are closed by their loops before the last reference goes away.
    while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
  }
}
