// A DEALER-socket client: many calls in flight at once, matched to replies by request id, each with a timeout.
import Foundation
import Logging
import Synchronization

/// A connection to one service over ZeroMQ. Thread-safe; share one per service.
public final class ZMQChannel: RPCChannel {
  public let endpoint: String
  /// The cap of every client that sets none: the servers' own default frame limit.
  public static let defaultMaxReplyBytes: Int64 = 256 << 20
  /// The largest reply frame this client reads; libzmq disconnects a server that sends more, unread.
  public let maxReplyBytes: Int64
  private let loop: SocketLoop
  private let state = Locked(State())
  private let reader: Task<Void, Never>

  private struct State: Sendable {
    var nextID: UInt64 = 1
    var waiting: [UInt64: CheckedContinuation<[UInt8], any Error>] = [:]
  }

  /// Connects to `endpoint`; with `security`, as a CURVE client (a server that refuses the key never answers,
  /// so calls time out). A reply larger than `maxReplyBytes` (default 256 MiB, the servers' own frame limit) is
  /// never read: a faulty or hostile server cannot make the client allocate more than that.
  public init(
    context: ZMQContext = .shared, connect endpoint: String, logger: Logger, security: ClientSecurity? = nil,
    maxReplyBytes: Int64 = ZMQChannel.defaultMaxReplyBytes
  ) throws {
    var setup = SocketSetup(kind: .dealer, attach: .connect(endpoint))
    setup.highWaterMark = 10_000
    setup.maxMessageBytes = maxReplyBytes
    self.maxReplyBytes = maxReplyBytes
    if let security { setup.security = security.socketSecurity }
    let loop = try SocketLoop(context: context, setup: setup, name: "rpc-client", logger: logger)
    let state = self.state
    self.loop = loop
    self.endpoint = endpoint
    reader = Task {
      for await message in loop.incoming {
        guard let reply = try? RPCMessage.parse(message.frames), reply.envelope.isReply else {
          logger.warning("dropped an unreadable reply", metadata: ["endpoint": "\(endpoint)"])
          continue
        }
        let waiter = state.withLock { $0.waiting.removeValue(forKey: reply.envelope.requestID) }
        guard let waiter else { continue }  // a late reply to a call that timed out
        if let error = ServiceError(status: reply.envelope.status) {
          waiter.resume(throwing: error)
        } else {
          waiter.resume(returning: reply.payload)
        }
      }
    }
  }

  deinit { close() }

  /// Closes the socket; calls still waiting fail with CANCELLED.
  public func close() {
    loop.stop()
    reader.cancel()
    let waiting = state.withLock { state in
      defer { state.waiting = [:] }; return state.waiting
    }
    for waiter in waiting.values {
      waiter.resume(throwing: ServiceError(.cancelled, "the connection to \(endpoint) was closed"))
    }
  }

  public func call(method: String, payload: [UInt8], options: CallOptions) async throws -> [UInt8] {
    let attempts = options.idempotent ? 1 + max(0, options.retries) : 1
    for attempt in 1...attempts {
      do {
        return try await attemptCall(method: method, payload: payload, options: options)
      } catch let error as ServiceError where error.code == .deadlineExceeded && attempt < attempts {
        continue
      }
    }
    preconditionFailure("unreachable: the last attempt returns or throws")
  }

  private func attemptCall(method: String, payload: [UInt8], options: CallOptions) async throws -> [UInt8] {
    let id = state.withLock { state in
      defer { state.nextID += 1 }; return state.nextID
    }
    var envelope = Envelope()
    envelope.method = method
    envelope.requestID = id
    envelope.caller = options.caller
    let timeoutSeconds =
      Double(options.timeout.components.seconds) + Double(options.timeout.components.attoseconds) * 1e-18
    envelope.deadlineUnixMs = Int64((Date().timeIntervalSince1970 + timeoutSeconds) * 1000)
    let frames = RPCMessage(envelope: envelope, payload: payload).frames
    let endpoint = self.endpoint
    let cap = String(format: "%g", Double(maxReplyBytes) / 1_048_576)
    let timer = Task { [state] in
      try? await Task.sleep(for: options.timeout)
      guard !Task.isCancelled else { return }
      let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
      waiter?.resume(
        throwing: ServiceError(
          .deadlineExceeded,
          "\(method): no reply from \(endpoint) within \(options.timeout); is the service running? (a reply larger than this client's limit of \(cap) MiB is refused unread: ask for less, or raise the limit)"
        ))
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        state.withLock { $0.waiting[id] = continuation }
        loop.send(frames)
      }
    } onCancel: {
      let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
      waiter?.resume(throwing: ServiceError(.cancelled, "\(method): the call was cancelled"))
    }
  }
}
