// The libzmq context: one per process in services (`ZMQContext.shared`); tests may make their own.
import CZeroMQ

/// A libzmq context. Contexts are thread-safe, so this type is `Sendable`; sockets are not.
public final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer

  /// The process-wide context used by services.
  public static let shared = ZMQContext()

  public init(ioThreads: Int32 = 1) {
    guard let handle = zmq_ctx_new() else { fatalError("zmq_ctx_new failed: out of memory or file descriptors") }
    zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads)
    zmq_ctx_set(handle, ZMQ_BLOCKY, 0)  // sockets default to linger 0: shutdown never hangs on unsent messages
    self.handle = handle
  }

  deinit {
    // All sockets of this context are closed by their loops before the last reference goes away.
    while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
  }
}
