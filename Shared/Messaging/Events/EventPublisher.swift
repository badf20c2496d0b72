// Progress events out on a PUB socket: frames [topic, ProgressEvent].
import Foundation
import Logging
import Protos

public typealias ProgressEvent = Activeseg_V1_ProgressEvent

/// Publishes progress events; subscribers filter by topic prefix. Slow subscribers lose events, never block us.
public final class EventPublisher: Sendable {
  public var endpoint: String { loop.endpoint }
  private let loop: SocketLoop

  /// Binds `endpoint`; with `security`, only allow-listed CURVE clients may subscribe.
  public init(context: ZMQContext = .shared, bind endpoint: String, logger: Logger, security: ServerSecurity? = nil) throws {
    var setup = SocketSetup(kind: .publisher, attach: .bind(endpoint))
    if let security { setup.security = try security.socketSecurity(context: context, name: "events", logger: logger).0 }
    loop = try SocketLoop(context: context, setup: setup, name: "events-pub", logger: logger)
  }

  public func publish(_ event: ProgressEvent) {
    var event = event
    if event.unixMs == 0 { event.unixMs = Int64(Date().timeIntervalSince1970 * 1000) }
    guard let payload = try? event.serializedBytes() as [UInt8] else { return }
    loop.send([Array(event.topic.utf8), payload])
  }

  public func stop() { loop.stop() }
}

/// Receives progress events whose topic starts with one of `topics` ("" = all).
public final class EventSubscriber: Sendable {
  public let events: AsyncStream<ProgressEvent>
  private let loop: SocketLoop

  public init(context: ZMQContext = .shared, connect endpoint: String, topics: [String] = [""], logger: Logger,
              security: ClientSecurity? = nil) throws {
    var setup = SocketSetup(kind: .subscriber, attach: .connect(endpoint))
    setup.subscriptions = topics
    if let security { setup.security = security.socketSecurity }
    let loop = try SocketLoop(context: context, setup: setup, name: "events-sub", logger: logger)
    self.loop = loop
    events = AsyncStream { continuation in
      let task = Task {
        for await message in loop.incoming {
          let frames = message.frames
          guard frames.count == 2, let event = try? ProgressEvent(serializedBytes: frames[1]) else {
            logger.debug("dropped an unreadable event")
            continue
          }
          continuation.yield(event)
        }
        continuation.finish()
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }

  public func stop() { loop.stop() }
}
