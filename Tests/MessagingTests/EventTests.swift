// Progress events over PUB/SUB, filtered by topic.
import Foundation
import Messaging
import Testing
import TestSupport

@Suite struct EventTests {
  @Test func subscriberReceivesItsTopicOnly() async throws {
    let publisher = try EventPublisher(bind: "tcp://127.0.0.1:*", logger: logger)
    defer { publisher.stop() }
    let subscriber = try EventSubscriber(connect: publisher.endpoint, topics: ["exp-1"], logger: logger)
    defer { subscriber.stop() }
    // PUB/SUB drops messages until the subscription has propagated: publish until one arrives.
    let publishing = Task {
      var iteration: Int64 = 0
      while !Task.isCancelled {
        var other = ProgressEvent()
        other.topic = "exp-2"
        publisher.publish(other)
        var event = ProgressEvent()
        event.topic = "exp-1"
        event.iteration = iteration
        event.loss = 0.5
        publisher.publish(event)
        iteration += 1
        try? await Task.sleep(for: .milliseconds(20))
      }
    }
    defer { publishing.cancel() }
    var received: [ProgressEvent] = []
    for await event in subscriber.events {
      received.append(event)
      if received.count == 3 { break }
    }
    #expect(received.allSatisfy { $0.topic == "exp-1" && $0.loss == 0.5 && $0.unixMs > 0 })
    #expect(received.map(\.iteration) == received.map(\.iteration).sorted())
  }
}
