// Serves an RPCRouter on a bound ROUTER socket: every call gets a reply, bad frames never stop the server.
// With security on, only allow-listed CURVE clients get in, each call runs as the authenticated caller, and
// the access policy and the per-caller rate limit are checked before any work starts.
import Foundation
import Logging
import Synchronization

/// A request/reply server on a ZeroMQ ROUTER socket.
public final class RPCServer: Sendable {
  /// The bound endpoint, with a `*` port resolved.
  public var endpoint: String { loop.endpoint }
  private let loop: SocketLoop
  private let router: RPCRouter
  private let logger: Logger
  private let security: ServerSecurity?
  private let limiter: RateLimiter
  private let context: ZMQContext
  private let domain: String?
  private let dispatched = Atomic<Int>(0)

  /// Binds `endpoint` (e.g. `tcp://127.0.0.1:*`). Serving starts with `run()`. With `security`, the socket is a
  /// CURVE server whose clients must be on the allow-list.
  public init(
    context: ZMQContext = .shared, bind endpoint: String, router: RPCRouter, logger: Logger,
    security: ServerSecurity? = nil, limits: ServerLimits = ServerLimits()
  ) throws {
    var setup = SocketSetup(kind: .router, attach: .bind(endpoint))
    setup.maxMessageBytes = limits.maxMessageBytes
    setup.highWaterMark = 10_000
    var domain: String?
    if let security {
      let (socketSecurity, name) = try security.socketSecurity(context: context, name: "rpc", logger: logger)
      setup.security = socketSecurity
      domain = name
    }
    loop = try SocketLoop(context: context, setup: setup, name: "rpc-server", logger: logger)
    self.router = router
    self.logger = logger
    self.security = security
    self.limiter = RateLimiter(rate: limits.requestsPerSecond, burst: limits.burst)
    self.context = context
    self.domain = domain
  }

  /// How many calls reached the router (refused handshakes and undeliverable frames never do).
  public var dispatchedCalls: Int { dispatched.load(ordering: .relaxed) }

  /// Handshakes the ZAP handler accepted and refused for this server (zero without security).
  public var authentication: AuthenticationCounts {
    guard let domain, let handler = try? context.zapHandler(logger: logger) else { return AuthenticationCounts() }
    return handler.counts(domain: domain)
  }

  /// Serves until `stop()` is called or the task is cancelled. Calls run concurrently.
  public func run() async {
    await withTaskCancellationHandler {
      await withDiscardingTaskGroup { group in
        for await message in loop.incoming {
          group.addTask { await self.serve(message) }
        }
      }
    } onCancel: {
      loop.stop()
    }
  }

  /// Stops serving and closes the socket; calls in progress are not answered.
  public func stop() { loop.stop() }

  private func serve(_ message: Received) async {
    let request: RPCMessage
    do {
      request = try RPCMessage.parse(message.frames)
    } catch {
      switch error {
      case .noDelimiter:
        logger.warning(
          "dropped a message without an empty delimiter frame (no reply address)",
          metadata: ["frames": "\(message.frames.count)"])
      case .malformed(let routing, let reason):
        logger.info("replied to a malformed request", metadata: ["reason": "\(reason)"])
        var envelope = Envelope()
        envelope.isReply = true
        envelope.status = ServiceError(.invalidArgument, reason).status
        loop.send(RPCMessage(routing: routing, envelope: envelope, payload: []).frames)
      }
      return
    }
    let envelope: Envelope, payload: [UInt8]
    do {
      let identity = try admit(request, userID: message.userID, peerAddress: message.peerAddress)
      dispatched.add(1, ordering: .relaxed)
      (envelope, payload) = await router.handle(request.envelope, payload: request.payload, identity: identity)
    } catch {
      var refused = Envelope()
      refused.isReply = true
      refused.method = request.envelope.method
      refused.requestID = request.envelope.requestID
      refused.status = error.status
      (envelope, payload) = (refused, [])
      logger.info(
        "refused a call", metadata: ["method": "\(request.envelope.method)", "status": "\(error.status.message)"])
    }
    if envelope.status.code != .ok {
      logger.debug(
        "call failed", metadata: ["method": "\(request.envelope.method)", "status": "\(envelope.status.message)"])
    }
    loop.send(RPCMessage(routing: request.routing, envelope: envelope, payload: payload).frames)
  }

  /// Who is calling (the authenticated name when secured, nil otherwise), after the policy and the rate limit let
  /// the call through. The rate limit counts per authenticated key, or per peer address without security (the
  /// declared caller name is only a claim). The allow-list is read as it is now, so a revoked key is refused at
  /// once even on a connection made before the revocation.
  private func admit(_ request: RPCMessage, userID: String?, peerAddress: String?) throws(ServiceError)
    -> CallerIdentity?
  {
    let method = request.envelope.method
    guard let security else {
      try limiter.admit(peerAddress.map { "peer \($0)" } ?? "the local peer (ipc)", method: method)
      return nil
    }
    guard let userID, let client = security.store.current.client(named: userID) else {
      throw ServiceError(
        .unauthenticated,
        "\(method): the connection carries no allow-listed identity (was its key revoked?); connect with a CURVE key from the allow-list"
      )
    }
    try limiter.admit("key '\(client.name)'", method: method)
    try security.policy.check(method: method, caller: client.name, role: client.role)
    return CallerIdentity(name: client.name, role: client.role)
  }
}
