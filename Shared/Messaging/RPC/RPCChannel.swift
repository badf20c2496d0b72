// The client side of a call, behind a protocol: over ZeroMQ (`ZMQChannel`) or in process (`InProcessChannel`).
import Foundation
import SwiftProtobuf

/// How one call behaves.
public struct CallOptions: Sendable {
  /// How long to wait for each attempt's reply.
  public var timeout: Duration
  /// Only idempotent calls are retried after a timeout.
  public var idempotent: Bool
  /// Extra attempts after the first, for idempotent calls.
  public var retries: Int
  /// The caller's identity, recorded by services in their audit trails.
  public var caller: String

  public init(timeout: Duration = .seconds(30), idempotent: Bool = false, retries: Int = 2, caller: String = "") {
    self.timeout = timeout
    self.idempotent = idempotent
    self.retries = retries
    self.caller = caller
  }

  /// A read-only call: retried on timeout.
  public static func idempotent(timeout: Duration = .seconds(10), caller: String = "") -> CallOptions {
    CallOptions(timeout: timeout, idempotent: true, caller: caller)
  }
}

/// Something that carries a call to a service and brings back its reply payload.
public protocol RPCChannel: Sendable {
  /// Sends one call and returns the reply payload; throws a `ServiceError` for an error status or a timeout.
  func call(method: String, payload: [UInt8], options: CallOptions) async throws -> [UInt8]
}

extension RPCChannel {
  /// A typed call: encodes `request`, decodes the reply as `Reply`.
  public func call<Request: Message, Reply: Message>(
    _ method: String, _ request: Request, replying: Reply.Type = Reply.self, options: CallOptions = CallOptions()
  ) async throws -> Reply {
    let payload = try await call(method: method, payload: try request.serializedBytes(), options: options)
    do {
      return try Reply(serializedBytes: payload)
    } catch {
      throw ServiceError(
        .internal,
        "\(method): the reply is not a valid \(Reply.protoMessageName); are client and service the same version?",
        cause: error)
    }
  }
}

/// Calls a router directly, without sockets: for testing service logic.
public struct InProcessChannel: RPCChannel {
  public let router: RPCRouter

  public init(router: RPCRouter) { self.router = router }

  public func call(method: String, payload: [UInt8], options: CallOptions) async throws -> [UInt8] {
    var envelope = Envelope()
    envelope.method = method
    envelope.caller = options.caller
    let (reply, replyPayload) = await router.handle(envelope, payload: payload)
    if let error = ServiceError(status: reply.status) { throw error }
    return replyPayload
  }
}
