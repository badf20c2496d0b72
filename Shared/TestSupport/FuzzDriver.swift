// The seeded fuzz driver: random and mutated frames through the envelope parser and every request decoder,
// in process, checking that every input ends in a well-formed reply or a clean drop, and timing each input
// (an input slower than the hang limit counts as a hang). The CI test runs 20,000; `scripts/bench fuzz` 1,000,000.
import Foundation
import Messaging
import Protos
import Randomness

/// What one fuzz run saw.
public struct FuzzReport: Sendable, CustomStringConvertible {
  public var inputs = 0
  public var seconds = 0.0
  /// Inputs answered with a reply (OK or an error status).
  public var answered = 0
  /// Replies with status OK (mutations that still decoded).
  public var decoded = 0
  /// Inputs dropped without a reply (no delimiter frame: nobody to answer).
  public var dropped = 0
  /// Inputs that took longer than the hang limit.
  public var hangs = 0
  /// Replies that broke the protocol (not a reply, or the wrong request id).
  public var violations = 0
  public var slowestMs = 0.0

  public var perSecond: Double { seconds > 0 ? Double(inputs) / seconds : 0 }

  public var description: String {
    "inputs=\(inputs) seconds=\(String(format: "%.2f", seconds)) per_s=\(Int(perSecond)) answered=\(answered) decoded=\(decoded) dropped=\(dropped) hangs=\(hangs) violations=\(violations) slowest_ms=\(String(format: "%.2f", slowestMs))"
  }
}

public enum FuzzDriver {
  /// One input as a ROUTER would receive it: a routing frame, then what a hostile or broken client sent.
  public static func input(_ rng: inout FuzzRandom, targets: [FuzzTarget] = FuzzTargets.all) -> Frames {
    let target = targets[Int.random(in: 0..<targets.count, using: &rng)]
    let routing: [UInt8] = [0, UInt8.random(in: 0...255, using: &rng), 1, 2, 3]
    var envelope = Envelope()
    envelope.method = target.method
    envelope.requestID = rng.next()
    envelope.caller = "fuzz"
    let goodEnvelope: [UInt8] = (try? envelope.serializedBytes()) ?? []
    switch Int.random(in: 0..<10, using: &rng) {
    case 0, 1, 2:
      return [routing] + FrameFuzzer.message(&rng, method: target.method, validPayload: target.seed)
    case 3:
      return [routing, [], mutate(goodEnvelope, &rng, targets: targets), target.seed]
    case 4:
      return [routing, [], goodEnvelope, wire(&rng, depth: 0)]
    default:
      return [routing, [], goodEnvelope, mutate(target.seed, &rng, targets: targets)]
    }
  }

  /// `bytes` with 1–4 random mutations: bit flips, interesting bytes, truncation, insertion, deletion,
  /// duplication, overlong varints, huge length prefixes, and splices with another seed.
  public static func mutate(_ bytes: [UInt8], _ rng: inout FuzzRandom, targets: [FuzzTarget] = FuzzTargets.all)
    -> [UInt8]
  {
    var out = bytes
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let position = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
      switch Int.random(in: 0..<9, using: &rng) {
      case 0 where !out.isEmpty: out[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
      case 1 where !out.isEmpty:
        out[position] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x0A, 0x12][Int.random(in: 0..<7, using: &rng)]
      case 2: out = Array(out.prefix(Int.random(in: 0...out.count, using: &rng)))
      case 3: out.insert(contentsOf: rng.bytes(Int.random(in: 1...16, using: &rng)), at: position)
      case 4 where !out.isEmpty:
        out.removeSubrange(position..<min(out.count, position + Int.random(in: 1...8, using: &rng)))
      case 5 where !out.isEmpty:
        let chunk = out[position..<min(out.count, position + Int.random(in: 1...32, using: &rng))]
        out.insert(contentsOf: chunk, at: Int.random(in: 0...out.count, using: &rng))
      case 6:
        out.insert(
          contentsOf: [UInt8](repeating: 0xFF, count: Int.random(in: 5...11, using: &rng)) + [0x01], at: position)
      case 7:  // a length-delimited field claiming far more bytes than follow
        out.insert(
          contentsOf: [UInt8(Int.random(in: 1...15, using: &rng) << 3 | 2), 0xFF, 0xFF, 0xFF, 0x7F], at: position)
      default:
        let other = targets[Int.random(in: 0..<targets.count, using: &rng)].seed
        out = Array(out.prefix(position)) + Array(other.suffix(Int.random(in: 0...other.count, using: &rng)))
      }
    }
    return out
  }

  /// Random but well-framed protobuf wire bytes: fields 1–12 of every wire type, sub-messages nested to depth 3.
  public static func wire(_ rng: inout FuzzRandom, depth: Int) -> [UInt8] {
    var out: [UInt8] = []
    func varint(_ value: UInt64) {
      var v = value
      while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
      out.append(UInt8(v))
    }
    for _ in 0..<Int.random(in: 0...6, using: &rng) {
      let field = UInt64(Int.random(in: 1...12, using: &rng))
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: varint(field << 3); varint(rng.next() >> UInt64.random(in: 0...63, using: &rng))
      case 1: varint(field << 3 | 1); out += rng.bytes(8)
      case 2: varint(field << 3 | 5); out += rng.bytes(4)
      default:
        let body =
          depth < 3 && Bool.random(using: &rng)
          ? wire(&rng, depth: depth + 1) : rng.bytes(Int.random(in: 0...24, using: &rng))
        varint(field << 3 | 2); varint(UInt64(body.count)); out += body
      }
    }
    return out
  }

  /// Runs `count` seeded inputs through `RPCMessage.parse` and `router` (every request decoder by default).
  public static func run(
    count: Int, seed: UInt64, router: RPCRouter = FuzzTargets.decodingRouter(),
    hangLimit: Duration = .seconds(1)
  ) async -> FuzzReport {
    var rng = FuzzRandom(seed: seed)
    var report = FuzzReport()
    let clock = ContinuousClock()
    let started = clock.now
    for _ in 0..<count {
      let frames = input(&rng)
      let begin = clock.now
      await serve(frames, router: router, report: &report)
      let took = clock.now - begin
      let ms = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) * 1e-15
      report.slowestMs = max(report.slowestMs, ms)
      if took > hangLimit { report.hangs += 1 }
      report.inputs += 1
    }
    let elapsed = clock.now - started
    report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return report
  }

  /// What an RPC server does with one received message, minus the socket.
  static func serve(_ frames: Frames, router: RPCRouter, report: inout FuzzReport) async {
    let request: RPCMessage
    do {
      request = try RPCMessage.parse(frames)
    } catch {
      switch error {
      case .noDelimiter: report.dropped += 1
      case .malformed: report.answered += 1
      }
      return
    }
    let (reply, _) = await router.handle(request.envelope, payload: request.payload)
    report.answered += 1
    if reply.status.code == .ok { report.decoded += 1 }
    if !reply.isReply || reply.requestID != request.envelope.requestID { report.violations += 1 }
  }
}
