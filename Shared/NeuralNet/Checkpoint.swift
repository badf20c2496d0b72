// A model checkpoint as bytes: magic, format version, the model config as JSON, then every named tensor
// (parameters and buffers) as float32 little-endian. Encoding only; where the bytes are kept is the caller's business.

import Foundation
import TensorCore

/// A failure to read a checkpoint, with a message that says what to do.
public struct CheckpointError: Error, Sendable, CustomStringConvertible {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public static let notACheckpoint = Code(name: "notACheckpoint")
    public static let unsupportedVersion = Code(name: "unsupportedVersion")
    public static let truncated = Code(name: "truncated")
    public static let badConfig = Code(name: "badConfig")
    public static let mismatch = Code(name: "mismatch")
    public var description: String { name }
  }

  public var code: Code
  public var message: String
  public var description: String { "\(code): \(message)" }
}

/// Model config plus every parameter and buffer of a `ParameterStore` (house style §18).
public struct Checkpoint<Config: Codable & Sendable>: Sendable {
  /// "ASCK" read as a little-endian UInt32.
  public static var magic: UInt32 { 0x4B43_5341 }
  /// Current format version.
  public static var version: UInt32 { 1 }

  public var config: Config
  public var store: ParameterStore

  public init(config: Config, store: ParameterStore) {
    self.config = config
    self.store = store
  }

  /// The checkpoint as bytes.
  public func encoded() throws -> [UInt8] {
    var out: [UInt8] = []
    func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    put(Self.magic)
    put(Self.version)
    // Sorted keys: equal models give equal bytes in every process (JSON key order would otherwise vary).
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = try encoder.encode(config)
    put(UInt32(json.count))
    out.append(contentsOf: json)
    let entries =
      store.names.map { ($0, UInt8(0), store[$0]) } + store.bufferNames.map { ($0, UInt8(1), store.buffers[$0]!) }
    put(UInt32(entries.count))
    for (name, kind, tensor) in entries {
      let utf8 = Array(name.utf8)
      put(UInt32(utf8.count))
      out.append(contentsOf: utf8)
      out.append(kind)
      put(UInt32(tensor.rank))
      for d in tensor.shape { put(Int64(d)) }
      for v in tensor.data { put(v.bitPattern) }
    }
    return out
  }

  /// Reads a checkpoint written by `encoded()`.
  public init(decoding bytes: [UInt8]) throws {
    var offset = 0
    func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
      let size = MemoryLayout<T>.size
      guard offset + size <= bytes.count else {
        throw CheckpointError(
          code: .truncated,
          message: "checkpoint ends after \(bytes.count) bytes; the file was cut short, write it again")
      }
      var v: T = 0
      for i in 0..<size { v |= T(bytes[offset + i]) << (8 * i) }
      offset += size
      return v
    }
    func takeBytes(_ n: Int) throws -> [UInt8] {
      guard n >= 0, offset + n <= bytes.count else {
        throw CheckpointError(
          code: .truncated,
          message: "checkpoint ends after \(bytes.count) bytes; the file was cut short, write it again")
      }
      defer { offset += n }
      return Array(bytes[offset..<(offset + n)])
    }
    guard try take(UInt32.self) == Self.magic else {
      throw CheckpointError(
        code: .notACheckpoint,
        message:
          "these bytes do not start with the ActiveSeg checkpoint magic \"ASCK\"; pass a file written by Checkpoint.encoded()"
      )
    }
    let version = try take(UInt32.self)
    guard version == Self.version else {
      throw CheckpointError(
        code: .unsupportedVersion,
        message:
          "checkpoint format version \(version) is not supported (this build reads version \(Self.version)); retrain or convert the checkpoint with a matching build"
      )
    }
    let json = try takeBytes(Int(try take(UInt32.self)))
    do {
      config = try JSONDecoder().decode(Config.self, from: Data(json))
    } catch {
      throw CheckpointError(
        code: .badConfig,
        message:
          "the checkpoint's model config does not decode as \(Config.self) (\(error)); load it with the model type it was saved from"
      )
    }
    var store = ParameterStore()
    let count = try take(UInt32.self)
    for _ in 0..<count {
      let name = String(decoding: try takeBytes(Int(try take(UInt32.self))), as: UTF8.self)
      let kind = try takeBytes(1)[0]
      let rank = Int(try take(UInt32.self))
      var shape: [Int] = []
      for _ in 0..<rank { shape.append(Int(try take(Int64.self))) }
      var data = [Float](repeating: 0, count: shape.reduce(1, *))
      for i in 0..<data.count { data[i] = Float(bitPattern: try take(UInt32.self)) }
      if kind == 0 {
        store.register(name, Tensor(shape: shape, data: data))
      } else {
        store.registerBuffer(name, Tensor(shape: shape, data: data))
      }
    }
    self.store = store
  }

  /// Copies every tensor into `target`, which must have exactly the same names and shapes (a freshly built model).
  public func apply(to target: inout ParameterStore) throws {
    let mine = Set(store.names + store.bufferNames), theirs = Set(target.names + target.bufferNames)
    guard mine == theirs else {
      let missing = theirs.subtracting(mine).sorted().prefix(3), extra = mine.subtracting(theirs).sorted().prefix(3)
      throw CheckpointError(
        code: .mismatch,
        message:
          "checkpoint and model differ in tensors (missing \(Array(missing)), unexpected \(Array(extra))); build the model from the checkpoint's config"
      )
    }
    for name in store.names + store.bufferNames {
      let value = store.values[name] ?? store.buffers[name]!
      let expected = target.values[name]?.shape ?? target.buffers[name]!.shape
      guard value.shape == expected else {
        throw CheckpointError(
          code: .mismatch,
          message:
            "\(name) has shape \(value.shape) in the checkpoint but \(expected) in the model; build the model from the checkpoint's config"
        )
      }
      target.load(name, value)
    }
  }
}
