// The byte format between `HDF5ChildReader` and its child (`HDF5ChildServer`), over the child's stdin and
// stdout. Little-endian, length-prefixed:
//   request:  op (1 = read, 2 = shape) · path · count · names         (strings: u32 length + UTF-8)
//   reply:    0 · payload   or   1 · DatasetError code · message
//   read:     count · { name · rank · dims (i64) · values (f32) }     shape: 0 (none) or 1 · rank · dims (i64)
import Foundation

enum HDF5Wire {
  enum Op: UInt8 {
    case read = 1
    case shape = 2
  }

  struct Writer {
    var bytes: [UInt8] = []
    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { bytes += $0 } }
    mutating func i64(_ value: Int) { withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 } }
    mutating func string(_ value: String) {
      u32(value.utf8.count)
      bytes += value.utf8
    }
    mutating func floats(_ values: [Float]) { values.withUnsafeBytes { bytes += $0 } }
  }

  /// Reads exactly the bytes it is asked for from `next(count)`, which returns fewer only at the end of the stream.
  struct Reader {
    let next: (Int) throws -> [UInt8]
    /// The most bytes one reply may claim for a length (a dataset is capped at `HDF5Reader.maxValues` floats).
    static let maxLength = 4 * HDF5Reader.maxValues

    func take(_ count: Int) throws -> [UInt8] {
      let bytes = try next(count)
      guard bytes.count == count else { throw Truncated() }
      return bytes
    }
    func u8() throws -> UInt8 { try take(1)[0] }
    func u32() throws -> Int {
      let value = Int(try take(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
      guard value <= Self.maxLength else { throw Truncated() }
      return value
    }
    func i64() throws -> Int {
      let value = Int(try take(8).withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) })
      guard value >= 0 && value <= HDF5Reader.maxValues else { throw Truncated() }
      return value
    }
    func string() throws -> String { String(decoding: try take(try u32()), as: UTF8.self) }
    func floats(_ count: Int) throws -> [Float] {
      let raw = try take(4 * count)
      return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        raw.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
        initialized = count
      }
    }
  }

  /// The stream ended (the other side died) or claimed an impossible length.
  struct Truncated: Error {}

  static func dims(_ shape: [Int], into writer: inout Writer) {
    writer.u32(shape.count)
    for dim in shape { writer.i64(dim) }
  }

  static func dims(from reader: Reader) throws -> [Int] {
    let rank = try reader.u32()
    guard rank <= 32 else { throw Truncated() }
    return try (0..<rank).map { _ in try reader.i64() }
  }
}
