// Progress events out to subscribers: frames [topic, ProgressEvent]. The publisher binds a ROUTER and each
// subscriber (a DEALER) sends `subscribe <topics...>` on connecting and every second after; the publisher sends
// each event only to the subscribers whose topics match and whose role may see it. PUB/SUB cannot do the second
// part: it filters by topic alone, so any allowed key would receive every experiment's progress.
import Foundation
import Logging
import Protos
import Synchronization

public typealias ProgressEvent = Activeseg_V1_ProgressEvent

/// Whether an annotator (its allow-list name) may see events of `topic`. Admins, viewers and services see every topic.
public typealias AnnotatorAudience = @Sendable (_ annotator: String, _ topic: String) -> Bool

/// How subscriptions are kept alive.
enum EventSubscription {
  static let verb: [UInt8] = Array("subscribe".utf8)
  /// A subscriber renews this often...
  static let renewal: Duration = .seconds(1)
  /// ...and is forgotten when it has not for this long.
  static let expiry: Duration = .seconds(5)
}

/// Publishes progress events; subscribers filter by topic prefix. Slow subscribers lose events, never block us.
public final class EventPublisher: Sendable {
  public var endpoint: String { loop.endpoint }
  private let loop: SocketLoop
  private let security: ServerSecurity?
  private let annotatorAudience: AnnotatorAudience
  private let subscribers = Locked<[[UInt8]: Subscriber]>([:])
  private let reader: Task<Void, Never>

  private struct Subscriber: Sendable {
    var topics: [String]
    var name: String?
    var renewed: ContinuousClock.Instant
  }

  /// Binds `endpoint`; with `security`, only allow-listed CURVE clients may subscribe, and an annotator receives
  /// only the topics `annotatorAudience` grants it (none by default).
  public init(
    context: ZMQContext = .shared, bind endpoint: String, logger: Logger, security: ServerSecurity? = nil,
    annotatorAudience: @escaping AnnotatorAudience = { _, _ in false }
  ) throws {
    var setup = SocketSetup(kind: .router, attach: .bind(endpoint))
    setup.routerMandatory = false  // a gone or slow subscriber loses events; it never holds up the others
    setup.maxMessageBytes = 64 << 10  // subscriptions are a few topics
    if let security { setup.security = try security.socketSecurity(context: context, name: "events", logger: logger).0 }
    let loop = try SocketLoop(context: context, setup: setup, name: "events-pub", logger: logger)
    self.loop = loop
    self.security = security
    self.annotatorAudience = annotatorAudience
    let subscribers = self.subscribers
    let secured = security != nil
    reader = Task {
      for await message in loop.incoming {
        let frames = message.frames
        guard frames.count >= 2, frames[1] == EventSubscription.verb, !(secured && message.userID == nil) else {
          logger.debug("dropped a message that is not a subscription", metadata: ["frames": "\(frames.count)"])
          continue
        }
        let topics = frames.dropFirst(2).map { String(decoding: $0, as: UTF8.self) }
        subscribers.withLock {
          $0[frames[0]] = Subscriber(topics: topics.isEmpty ? [""] : topics, name: message.userID, renewed: .now)
        }
      }
    }
  }

  deinit { reader.cancel() }

  /// How many subscribers are live now.
  public var subscriberCount: Int { subscribers.withLock { $0.count } }

  public func publish(_ event: ProgressEvent) {
    var event = event
    if event.unixMs == 0 { event.unixMs = Int64(Date().timeIntervalSince1970 * 1000) }
    guard let payload = try? event.serializedBytes() as [UInt8] else { return }
    let topic = event.topic
    let now = ContinuousClock.now
    let list = security?.store.current
    let recipients = subscribers.withLock { subscribers -> [[UInt8]] in
      subscribers = subscribers.filter { now - $0.value.renewed < EventSubscription.expiry }
      return subscribers.compactMap { id, subscriber -> [UInt8]? in
        guard subscriber.topics.contains(where: topic.hasPrefix) else { return nil }
        guard let list else { return id }
        // The allow-list as it is now: a revoked subscriber receives nothing more.
        guard let name = subscriber.name, let client = list.client(named: name) else { return nil }
        return client.role != .annotator || annotatorAudience(name, topic) ? id : nil
      }
    }
    let topicBytes = Array(topic.utf8)
    for id in recipients { loop.send([id, topicBytes, payload]) }
  }

  public func stop() {
    reader.cancel()
    loop.stop()
  }
}

/// Receives progress events whose topic starts with one of `topics` ("" = all) that the publisher lets it see.
public final class EventSubscriber: Sendable {
  public let events: AsyncStream<ProgressEvent>
  private let loop: SocketLoop
  private let renewing: Task<Void, Never>

  /// `maxEventBytes` caps what the subscriber reads: a publisher sending a larger frame is disconnected unread.
  public init(
    context: ZMQContext = .shared, connect endpoint: String, topics: [String] = [""], logger: Logger,
    security: ClientSecurity? = nil, maxEventBytes: Int64 = 16 << 20
  ) throws {
    var setup = SocketSetup(kind: .dealer, attach: .connect(endpoint))
    setup.maxMessageBytes = maxEventBytes
    if let security { setup.security = security.socketSecurity }
    let loop = try SocketLoop(context: context, setup: setup, name: "events-sub", logger: logger)
    self.loop = loop
    let subscription = [EventSubscription.verb] + topics.map { Array($0.utf8) }
    renewing = Task {
      while !Task.isCancelled {
        loop.send(subscription)
        try? await Task.sleep(for: EventSubscription.renewal)
      }
    }
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

  deinit { renewing.cancel() }

  public func stop() {
    renewing.cancel()
    loop.stop()
  }
}
