// Maps method names ("Service/Method") to handlers and turns every outcome into a reply with a status.
import Foundation
import Protos
import SwiftProtobuf

/// What a handler knows about the call it serves.
public struct RPCContext: Sendable {
  public var method: String
  public var requestID: UInt64
  public var caller: String
  /// When the caller stops waiting; nil for no deadline.
  public var deadline: Date?
}

/// A handler over raw payload bytes.
public typealias RawHandler = @Sendable (_ payload: [UInt8], _ context: RPCContext) async throws -> [UInt8]

/// Routes calls to handlers. Build it with `register`, then hand it to a server or an in-process channel.
public struct RPCRouter: Sendable {
  private var handlers: [String: RawHandler] = [:]
  /// Requests with a larger payload are refused with RESOURCE_EXHAUSTED.
  public var maxRequestBytes: Int

  public init(maxRequestBytes: Int = 512 << 20) {
    self.maxRequestBytes = maxRequestBytes
  }

  public var methods: [String] { handlers.keys.sorted() }

  /// Registers a typed handler: the payload is decoded as `Request`, the result encoded as its reply.
  public mutating func register<Request: Message, Reply: Message>(
    _ method: String, _ handler: @escaping @Sendable (Request, RPCContext) async throws -> Reply
  ) {
    handlers[method] = { payload, context in
      let request: Request
      do {
        request = try Request(serializedBytes: payload)
      } catch {
        throw ServiceError(.invalidArgument, "\(method): the payload is not a valid \(Request.protoMessageName): \(error)")
      }
      return try await handler(request, context).serializedBytes()
    }
  }

  public mutating func registerRaw(_ method: String, _ handler: @escaping RawHandler) {
    handlers[method] = handler
  }

  /// Serves one call. Never throws: every failure becomes a reply whose status says what went wrong.
  public func handle(_ envelope: Envelope, payload: [UInt8]) async -> (Envelope, [UInt8]) {
    var reply = Envelope()
    reply.isReply = true
    reply.method = envelope.method
    reply.requestID = envelope.requestID
    do {
      let payloadOut = try await dispatch(envelope, payload: payload)
      reply.status = WireStatus()
      return (reply, payloadOut)
    } catch {
      reply.status = ServiceError(wrapping: error).status
      return (reply, [])
    }
  }

  private func dispatch(_ envelope: Envelope, payload: [UInt8]) async throws -> [UInt8] {
    guard !envelope.isReply else {
      throw ServiceError(.invalidArgument, "received a reply envelope where a request was expected; send requests with is_reply = false")
    }
    guard let handler = handlers[envelope.method] else {
      let known = methods.joined(separator: ", ")
      throw ServiceError(.unimplemented, "unknown method '\(envelope.method)'; this service answers: \(known)")
    }
    guard payload.count <= maxRequestBytes else {
      throw ServiceError(.resourceExhausted, "\(envelope.method): payload of \(payload.count) bytes exceeds the limit of \(maxRequestBytes) bytes; send smaller batches")
    }
    let deadline = envelope.deadlineUnixMs > 0 ? Date(timeIntervalSince1970: Double(envelope.deadlineUnixMs) / 1000) : nil
    if let deadline, deadline < Date() {
      throw ServiceError(.deadlineExceeded, "\(envelope.method): the deadline passed before the call was served")
    }
    let context = RPCContext(method: envelope.method, requestID: envelope.requestID, caller: envelope.caller, deadline: deadline)
    return try await handler(payload, context)
  }
}
