// Sends random, truncated and mangled frames at a ROUTER-socket service, as a hostile or broken client would.
import Foundation
import Logging
import Messaging
import Protos
import Randomness

public typealias FuzzRandom = SplitMix64

extension SplitMix64 {
  /// `count` random bytes.
  public mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

public enum FrameFuzzer {
  /// One hostile message for a service whose methods include `method`: random frames, truncated or
  /// corrupted envelopes, unknown methods, wrong payloads, replies posing as requests, extra frames.
  public static func message(_ rng: inout FuzzRandom, method: String, validPayload: [UInt8]) -> Frames {
    var envelope = Envelope()
    envelope.method = method
    envelope.requestID = rng.next()
    let good = (try? envelope.serializedBytes() as [UInt8]) ?? []
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: return (0..<Int.random(in: 1...5, using: &rng)).map { _ in rng.bytes(Int.random(in: 0...64, using: &rng)) }
    case 1: return [[], Array(good.prefix(Int.random(in: 0..<max(1, good.count), using: &rng))), validPayload]
    case 2: return [[], rng.bytes(Int.random(in: 1...40, using: &rng)), validPayload]
    case 3:
      var unknown = envelope
      unknown.method = String(decoding: rng.bytes(8).map { 97 + $0 % 26 }, as: UTF8.self)
      return [[], (try? unknown.serializedBytes()) ?? [], validPayload]
    case 4: return [[], good, rng.bytes(Int.random(in: 1...200, using: &rng))]
    case 5: return [[], good, Array(validPayload.prefix(Int.random(in: 0...max(0, validPayload.count), using: &rng)))]
    case 6: return [[], good]
    case 7: return [[], good, validPayload, rng.bytes(10)]
    case 8:
      var reply = envelope
      reply.isReply = true
      return [[], (try? reply.serializedBytes()) ?? [], validPayload]
    default: return [[]]
    }
  }

  /// Sends `count` hostile messages to `endpoint` from a raw DEALER and returns how many replies came back.
  public static func run(
    endpoint: String, method: String, validPayload: [UInt8] = [], count: Int, seed: UInt64,
    logger: Logger
  ) async throws -> Int {
    let loop = try SocketLoop(
      context: .shared, setup: SocketSetup(kind: .dealer, attach: .connect(endpoint)),
      name: "fuzzer", logger: logger)
    defer { loop.stop() }
    var rng = FuzzRandom(seed: seed)
    for _ in 0..<count { loop.send(message(&rng, method: method, validPayload: validPayload)) }
    // Count replies until none has come for half a second.
    let counter = ReplyCounter()
    let reader = Task {
      for await _ in loop.incoming { await counter.increment() }
    }
    var last = -1
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(500))
      let now = await counter.count
      if now == last && now > 0 { break }
      last = now
    }
    loop.stop()
    reader.cancel()
    return await counter.count
  }
}

actor ReplyCounter {
  var count = 0
  func increment() { count += 1 }
}
