// Every method the services answer, read from the .proto files at start-up (so a new RPC is fuzzed without
// editing this target), each with the generated Swift type of its request, found by its mangled name.
import Foundation
import Protos
import SwiftProtobuf

/// One RPC method ("Storage/Import") and the message type its handler decodes.
struct ProtoMethod {
  let method: String
  let request: any SwiftProtobuf.Message.Type
}

enum ProtoMethods {
  /// The .proto folder: `ACTIVESEG_PROTO_DIR`, else `proto/activeseg/v1` of the checkout this file was built from.
  static var folder: String {
    if let folder = ProcessInfo.processInfo.environment["ACTIVESEG_PROTO_DIR"] { return folder }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent("proto/activeseg/v1").path
  }

  /// Frames a service decodes that no `rpc` line names: the gateway's work socket takes WorkMessage from workers.
  static let socketMessages = [("Work/Message", "WorkMessage")]

  /// Reads every `service`/`rpc` line under `folder`; traps naming the method when a type cannot be found.
  static func load(from folder: String = folder) -> [ProtoMethod] {
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".proto") }),
      !files.isEmpty
    else {
      fatalError("fuzz: no .proto files in \(folder); run from the repository or set ACTIVESEG_PROTO_DIR")
    }
    var pairs: [(String, String)] = socketMessages
    for file in files.sorted() {
      guard let text = try? String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8) else {
        fatalError("fuzz: cannot read \(folder)/\(file)")
      }
      var service = ""
      for line in text.split(separator: "\n") {
        let words = line.split(whereSeparator: { " \t();".contains($0) })
        if words.first == "service", words.count > 1 { service = String(words[1]) }
        // rpc Name(Request) returns (Reply)
        if words.first == "rpc", words.count > 2 { pairs.append(("\(service)/\(words[1])", String(words[2]))) }
      }
    }
    return pairs.map { method, message in
      guard let type = swiftType(message) else {
        fatalError(
          "fuzz: \(method) takes \(message), but Protos has no type Activeseg_V1_\(message); regenerate with proto/generate.sh"
        )
      }
      return ProtoMethod(method: method, request: type)
    }
  }

  /// The generated type of `activeseg.v1.<message>` (nested names like `Outer.Inner` included).
  static func swiftType(_ message: String) -> (any SwiftProtobuf.Message.Type)? {
    let parts = message.split(separator: ".").map(String.init)
    guard let first = parts.first else { return nil }
    // Swift's mangling of a struct: <length><identifier> per level, each followed by V; module Protos first.
    let names = ["Activeseg_V1_\(first)"] + parts.dropFirst()
    let mangled = "6Protos" + names.map { "\($0.utf8.count)\($0)V" }.joined()
    return _typeByName(mangled) as? any SwiftProtobuf.Message.Type
  }
}
