// The fuzz benchmark (`scripts/bench fuzz`): the CI fuzz driver at benchmark size, and the decode-only
// comparison with protobuf-c over the same bytes.
//   FuzzBench run N SEED          N seeded inputs through the envelope and every request decoder
//   FuzzBench dump PATH N SEED    writes the (message type, bytes) pairs those inputs decode, for fuzz_decode.c
//   FuzzBench decode PATH ROUNDS  decodes that file with SwiftProtobuf, ROUNDS times, and prints the rate
//   FuzzBench seeds FOLDER        writes the libFuzzer seed corpora of FuzzEnvelope and FuzzRequests (Fuzz/Corpus)
//                                 from the realistic payloads of FuzzTargets.all
import Foundation
import Messaging
import Protos
import SwiftProtobuf
import TestSupport

let arguments = CommandLine.arguments
func usage() -> Never {
  print("usage: FuzzBench run N SEED | dump PATH N SEED | decode PATH ROUNDS | seeds FOLDER")
  exit(2)
}
guard arguments.count >= 2 else { usage() }

switch arguments[1] {
case "run" where arguments.count == 4:
  let count = Int(arguments[2]) ?? 1_000_000, seed = UInt64(arguments[3]) ?? 1
  let report = await FuzzDriver.run(count: count, seed: seed)
  print("fuzz driver: \(report)")
  // A crash ends this process with a signal (the script reports it); reaching here means none happened.
  print(
    "fuzz inputs=\(report.inputs) seconds=\(String(format: "%.2f", report.seconds)) per_s=\(Int(report.perSecond)) crashes=0 hangs=\(report.hangs) violations=\(report.violations)"
  )
  exit(report.hangs == 0 && report.violations == 0 ? 0 : 1)

case "dump" where arguments.count == 5:
  let count = Int(arguments[3]) ?? 100_000, seed = UInt64(arguments[4]) ?? 1
  var rng = FuzzRandom(seed: seed)
  let types = Dictionary(FuzzTargets.all.map { ($0.method, $0.type.protoMessageName) }, uniquingKeysWith: { a, _ in a })
  var out = Data()
  var records = 0
  func record(_ name: String, _ bytes: [UInt8]) {
    var nameLength = UInt16(name.utf8.count).littleEndian, length = UInt32(bytes.count).littleEndian
    out.append(Data(bytes: &nameLength, count: 2))
    out.append(Data(name.utf8))
    out.append(Data(bytes: &length, count: 4))
    out.append(contentsOf: bytes)
    records += 1
  }
  for _ in 0..<count {
    let frames = FuzzDriver.input(&rng)
    guard let delimiter = frames.firstIndex(where: \.isEmpty), frames.count - delimiter == 3 else { continue }
    record(Envelope.protoMessageName, frames[delimiter + 1])
    guard let envelope = try? Envelope(serializedBytes: frames[delimiter + 1]), let type = types[envelope.method] else {
      continue
    }
    record(type, frames[delimiter + 2])
  }
  try out.write(to: URL(fileURLWithPath: arguments[2]))
  print("dump records=\(records) bytes=\(out.count)")

case "decode" where arguments.count == 4:
  let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
  let rounds = Int(arguments[3]) ?? 1
  var types: [String: any SwiftProtobuf.Message.Type] = [Envelope.protoMessageName: Envelope.self]
  for target in FuzzTargets.all { types[target.type.protoMessageName] = target.type }
  var corpus: [(any SwiftProtobuf.Message.Type, [UInt8])] = []
  var offset = 0
  func read(_ count: Int) -> ArraySlice<UInt8> { defer { offset += count }; return data[offset..<(offset + count)] }
  while offset < data.count {
    let nameLength = read(2).reversed().reduce(0) { $0 << 8 | Int($1) }
    let name = String(decoding: read(nameLength), as: UTF8.self)
    let length = read(4).reversed().reduce(0) { $0 << 8 | Int($1) }
    corpus.append((types[name]!, Array(read(length))))
  }
  var decoded = 0
  let clock = ContinuousClock()
  let start = clock.now
  for _ in 0..<rounds {
    for (type, bytes) in corpus where (try? type.init(serializedBytes: bytes)) != nil { decoded += 1 }
  }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  print(
    "swift_decode records=\(corpus.count * rounds) decoded=\(decoded) seconds=\(String(format: "%.3f", seconds)) per_s=\(Int(Double(corpus.count * rounds) / seconds))"
  )

case "seeds" where arguments.count == 3:
  let folder = URL(fileURLWithPath: arguments[2])
  func write(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
    let dir = folder.appendingPathComponent(target)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data(bytes).write(to: dir.appendingPathComponent(name))
  }
  // FuzzRequests: the method, a 0 byte, the payload.
  for target in FuzzTargets.all {
    try write(
      "FuzzRequests", target.method.replacingOccurrences(of: "/", with: "-"),
      Array(target.method.utf8) + [0] + target.seed)
  }
  // FuzzEnvelope: frames, each a one-byte length and its bytes (the last frame may run to the end).
  func framed(_ frames: [[UInt8]]) -> [UInt8] {
    frames.dropLast().flatMap { [UInt8($0.count)] + $0 } + [UInt8(min(255, frames.last!.count))] + frames.last!
  }
  var call = Envelope()
  call.method = "Storage/Health"
  call.requestID = 42
  call.caller = "alice"
  var late = call
  late.deadlineUnixMs = 1
  var future = call
  future.deadlineUnixMs = 4_000_000_000_000
  var reply = call
  reply.isReply = true
  reply.status.code = .notFound
  reply.status.message = "no such thing"
  var unknown = call
  unknown.method = "Storage/Nothing"
  let routing: [UInt8] = [0, 0x6B, 0x8B, 0x45, 0x67]
  let cases: [(String, Envelope, [UInt8])] = [
    ("health", call, []), ("past-deadline", late, []), ("future-deadline", future, []), ("reply", reply, []),
    ("unknown-method", unknown, []), ("oversized-payload", call, [UInt8](repeating: 0x0A, count: 300))
  ]
  for (name, envelope, payload) in cases {
    try write("FuzzEnvelope", name, framed([routing, [], try envelope.serializedBytes(), payload]))
  }
  try write("FuzzEnvelope", "two-routing-frames", framed([routing, [1, 2], [], try call.serializedBytes(), []]))
  print("seeds written to \(folder.path)")

default: usage()
}
