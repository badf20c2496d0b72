// Hostile input: random, truncated and mangled frames never stop a server, and get error replies where possible.
import Foundation
import Messaging
import Protos
import Synchronization
import Testing
import TestSupport

@Suite struct BadInputTests {
  @Test func thousandsOfBadFramesThenAGoodCall() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let payload: [UInt8] = try tensor([1, 2]).serializedBytes()
    let replies = try await FrameFuzzer.run(
      endpoint: server.endpoint, method: "Test/Echo", validPayload: payload,
      count: 5000, seed: 7, logger: logger)
    // Messages with a delimiter are answered (with an error or a reply); those without are dropped.
    #expect(replies > 2500, "most hostile messages still get a reply")
    #expect(replies <= 5000)
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    #expect(try await channel.call("Test/Echo", tensor([9]), replying: Tensor.self) == tensor([9]))
  }

  @Test(.timeLimit(.minutes(1)))
  func twentyThousandSeededInputsThroughTheEnvelopeAndEveryRequestDecoder() async throws {
    let report = await FuzzDriver.run(count: 20_000, seed: 2026)
    #expect(report.inputs == 20_000)
    #expect(report.hangs == 0, "\(report)")
    #expect(report.violations == 0, "every reply is a reply to its own request: \(report)")
    #expect(report.answered + report.dropped == report.inputs)
    #expect(
      report.decoded > 2_000, "many mutated payloads still decode, so the decoders ran on real structure: \(report)")
    #expect(report.answered - report.decoded > 5_000, "and many are refused with an error reply: \(report)")

    // The same inputs at a real server over tcp: it keeps answering, and answers a good call afterwards.
    let (server, task) = try serve(FuzzTargets.decodingRouter())
    defer { server.stop(); task.cancel() }
    let loop = try SocketLoop(
      context: .shared, setup: SocketSetup(kind: .dealer, attach: .connect(server.endpoint)), name: "fuzz",
      logger: logger)
    defer { loop.stop() }
    var rng = FuzzRandom(seed: 2026)
    var expected = 0
    for _ in 0..<2_000 {
      let frames = Array(FuzzDriver.input(&rng).dropFirst())  // the DEALER adds no routing frame; the ROUTER adds one
      if frames.contains(where: \.isEmpty) { expected += 1 }
      loop.send(frames)
    }
    let replies = Mutex((count: 0, replies: 0))
    let reader = Task {
      for await message in loop.incoming {
        let isReply = (try? RPCMessage.parse(message.frames))?.envelope.isReply == true
        replies.withLock {
          $0.count += 1; if isReply { $0.replies += 1 }
        }
      }
    }
    defer { reader.cancel() }
    #expect(await eventually(timeout: .seconds(20)) { replies.withLock { $0.count } >= expected })
    #expect(
      replies.withLock { $0.count == expected && $0.replies == expected },
      "one reply per message with a return address, each a reply")
    let channel = try ZMQChannel(connect: server.endpoint, logger: logger)
    defer { channel.close() }
    var status = Activeseg_V1_ExperimentStatusRequest()
    status.experimentID = 7
    let echoed = try await channel.call(
      "Gateway/ExperimentStatus", status, replying: Activeseg_V1_ExperimentStatusRequest.self)
    #expect(echoed.experimentID == 7)
  }

  @Test func everyMethodOfEveryServiceIsAFuzzTarget() throws {
    let folder = repositoryRoot + "/proto/activeseg/v1"
    var methods: Set<String> = []
    for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".proto") {
      var service = ""
      for line in try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n") {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "(" })
        if words.first == "service", words.count > 1 { service = String(words[1]) }
        if words.first == "rpc", words.count > 1 { methods.insert("\(service)/\(words[1])") }
      }
    }
    #expect(methods.count > 30)
    #expect(methods.subtracting(FuzzTargets.all.map(\.method)).isEmpty, "methods without a fuzz target")
  }

  @Test func malformedEnvelopeGetsAnInvalidArgumentReply() async throws {
    let (server, task) = try serve(testRouter())
    defer { server.stop(); task.cancel() }
    let loop = try SocketLoop(
      context: .shared, setup: SocketSetup(kind: .dealer, attach: .connect(server.endpoint)),
      name: "raw", logger: logger)
    defer { loop.stop() }
    loop.send([[], [0xFF, 0xFF, 0xFF], []])
    var iterator = loop.incoming.makeAsyncIterator()
    let frames = try #require(await iterator.next())
    let reply = try RPCMessage.parse(frames.frames)
    #expect(reply.envelope.isReply)
    #expect(reply.envelope.status.code == .invalidArgument)
    #expect(reply.envelope.status.message.contains("Envelope"))
  }

  @Test(arguments: [
    ([[UInt8]](), RPCWireError.noDelimiter),
    ([[1, 2, 3]], RPCWireError.noDelimiter)
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
