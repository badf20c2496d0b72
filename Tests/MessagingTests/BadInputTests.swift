// Hostile input: random, truncated and mangled frames never stop a server, and get error replies where possible.
import Foundation
import Messaging
import Protos
import Testing
import TestSupport

@Suite struct BadInputTests {
  @Test func thousandsOfBadFramesThenAGoodCall() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let payload: [UInt8] = try tensor([1, 2]).serializedBytes()
    let replies = try await FrameFuzzer.run(endpoint: server.endpoint, method: "Test/Echo", validPayload: payload,
                                           count: 5000, seed: 7, logger: logger)
    // Messages with a delimiter are answered (with an error or a reply); those without are dropped.
    #expect(replies > 2500, "most hostile messages still get a reply")
    #expect(replies <= 5000)
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    #expect(try await channel.call("Test/Echo", tensor([9]), replying: Tensor.self) == tensor([9]))
  }

  @Test func malformedEnvelopeGetsAnInvalidArgumentReply() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let loop = try SocketLoop(context: .shared, setup: SocketSetup(kind: .dealer, attach: .connect(server.endpoint)),
                              name: "raw", logger: logger)
    defer { loop.stop() }
    loop.send([[], [0xFF, 0xFF, 0xFF], []])
    var iterator = loop.incoming.makeAsyncIterator()
    let frames = try #require(await iterator.next())
    let reply = try RPCMessage.parse(frames)
    #expect(reply.envelope.isReply)
    #expect(reply.envelope.status.code == .invalidArgument)
    #expect(reply.envelope.status.message.contains("Envelope"))
  }

  @Test(arguments: [
    ([[UInt8]](), RPCWireError.noDelimiter),
    ([[1, 2, 3]], RPCWireError.noDelimiter),
  ])
  func framesWithoutDelimiterAreDropped(_ frames: [[UInt8]], _ expected: RPCWireError) {
    #expect(throws: expected) { try RPCMessage.parse(frames) }
  }

  @Test func parseSplitsRoutingFromBody() throws {
    var envelope = Envelope()
    envelope.method = "A/B"
    envelope.requestID = 5
    let frames: Frames = [[9, 9], [], try envelope.serializedBytes(), [1, 2]]
    let message = try RPCMessage.parse(frames)
    #expect(message.routing == [[9, 9]])
    #expect(message.envelope.method == "A/B")
    #expect(message.payload == [1, 2])
    #expect(message.frames == frames)
  }
}
