// Serves an RPCRouter on a bound ROUTER socket: every call gets a reply, bad frames never stop the server.
import Foundation
import Logging

/// A request/reply server on a ZeroMQ ROUTER socket.
public final class RPCServer: Sendable {
  /// The bound endpoint, with a `*` port resolved.
  public var endpoint: String { loop.endpoint }
  private let loop: SocketLoop
  private let router: RPCRouter
  private let logger: Logger

  /// Binds `endpoint` (e.g. `tcp://127.0.0.1:*`). Serving starts with `run()`.
  public init(context: ZMQContext = .shared, bind endpoint: String, router: RPCRouter, logger: Logger,
              maxMessageBytes: Int64 = 1 << 30) throws {
    var setup = SocketSetup(kind: .router, attach: .bind(endpoint))
    setup.maxMessageBytes = maxMessageBytes
    setup.highWaterMark = 10_000
    loop = try SocketLoop(context: context, setup: setup, name: "rpc-server", logger: logger)
    self.router = router
    self.logger = logger
  }

  /// Serves until `stop()` is called or the task is cancelled. Calls run concurrently.
  public func run() async {
    await withTaskCancellationHandler {
      await withDiscardingTaskGroup { group in
        for await frames in loop.incoming {
          group.addTask { await self.serve(frames) }
        }
      }
    } onCancel: {
      loop.stop()
    }
  }

  /// Stops serving and closes the socket; calls in progress are not answered.
  public func stop() { loop.stop() }

  private func serve(_ frames: Frames) async {
    let request: RPCMessage
    do {
      request = try RPCMessage.parse(frames)
    } catch {
      switch error {
      case .noDelimiter:
        logger.warning("dropped a message without an empty delimiter frame (no reply address)", metadata: ["frames": "\(frames.count)"])
      case .malformed(let routing, let reason):
        logger.info("replied to a malformed request", metadata: ["reason": "\(reason)"])
        var envelope = Envelope()
        envelope.isReply = true
        envelope.status = ServiceError(.invalidArgument, reason).status
        loop.send(RPCMessage(routing: routing, envelope: envelope, payload: []).frames)
      }
      return
    }
    let (envelope, payload) = await router.handle(request.envelope, payload: request.payload)
    if envelope.status.code != .ok {
      logger.debug("call failed", metadata: ["method": "\(request.envelope.method)", "status": "\(envelope.status.message)"])
    }
    loop.send(RPCMessage(routing: request.routing, envelope: envelope, payload: payload).frames)
  }
}
