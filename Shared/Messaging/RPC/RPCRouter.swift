// Maps method names ("Service/Method") to handlers and turns every outcome into a reply with a status.
import Foundation
import Protos
import SwiftProtobuf

/// A caller proven by its CURVE key: its allow-list name and role.
public struct CallerIdentity: Sendable, Equatable {
  public var name: String
  public var role: Role

  public init(name: String, role: Role) {
    self.name = name
    self.role = role
  }
}

/// What a handler knows about the call it serves.
public struct RPCContext: Sendable {
  public var method: String
  public var requestID: UInt64
  /// Who calls: the authenticated name when security is on, else the name the caller declared.
  public var caller: String
  /// When the caller stops waiting; nil for no deadline.
  public var deadline: Date?
  /// The caller's proven identity when security is on; nil otherwise (then `caller` is only a claim).
  public var identity: CallerIdentity? = nil

  public init(
    method: String, requestID: UInt64 = 0, caller: String = "", deadline: Date? = nil, identity: CallerIdentity? = nil
  ) {
    self.method = method
    self.requestID = requestID
    self.caller = caller
    self.deadline = deadline
    self.identity = identity
  }

  /// The name for audit trails: the authenticated caller, noting on whose behalf it acts when that differs
  /// (`gateway (for alice)`); without security, `declared` if given, else the caller's claim.
  public func auditActor(declared: String) -> String {
    if let identity {
      return declared.isEmpty || declared == identity.name ? identity.name : "\(identity.name) (for \(declared))"
    }
    return declared.isEmpty ? (caller.isEmpty ? "unknown" : caller) : declared
  }
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
        throw ServiceError(
          .invalidArgument, "\(method): the payload is not a valid \(Request.protoMessageName): \(error)")
      }
      return try await handler(request, context).serializedBytes()
    }
  }

  public mutating func registerRaw(_ method: String, _ handler: @escaping RawHandler) {
    handlers[method] = handler
  }

  /// Serves one call. Never throws: every failure becomes a reply whose status says what went wrong.
  /// With `identity` (a secured server), the call runs as that caller whatever the envelope claims.
  public func handle(_ envelope: Envelope, payload: [UInt8], identity: CallerIdentity? = nil) async -> (
    Envelope, [UInt8]
  ) {
    var reply = Envelope()
    reply.isReply = true
    reply.method = envelope.method
    reply.requestID = envelope.requestID
    do {
      let payloadOut = try await dispatch(envelope, payload: payload, identity: identity)
      reply.status = WireStatus()
      return (reply, payloadOut)
    } catch {
      reply.status = ServiceError(wrapping: error).status
      return (reply, [])
    }
  }

  private func dispatch(_ envelope: Envelope, payload: [UInt8], identity: CallerIdentity?) async throws -> [UInt8] {
    guard !envelope.isReply else {
      throw ServiceError(
        .invalidArgument, "received a reply envelope where a request was expected; send requests with is_reply = false")
    }
    guard let handler = handlers[envelope.method] else {
      let known = methods.joined(separator: ", ")
      throw ServiceError(.unimplemented, "unknown method '\(envelope.method)'; this service answers: \(known)")
    }
    guard payload.count <= maxRequestBytes else {
      throw ServiceError(
        .resourceExhausted,
        "\(envelope.method): payload of \(payload.count) bytes exceeds the limit of \(maxRequestBytes) bytes; send smaller batches"
      )
    }
    let deadline =
      envelope.deadlineUnixMs > 0 ? Date(timeIntervalSince1970: Double(envelope.deadlineUnixMs) / 1000) : nil
    if let deadline, deadline < Date() {
      throw ServiceError(.deadlineExceeded, "\(envelope.method): the deadline passed before the call was served")
    }
    let context = RPCContext(
      method: envelope.method, requestID: envelope.requestID, caller: identity?.name ?? envelope.caller,
      deadline: deadline, identity: identity)
    return try await handler(payload, context)
  }
}
