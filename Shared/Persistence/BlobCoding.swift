// Conversions between pixel arrays and SQLite blobs: float32, float16 and uint8, native byte order
// (little-endian on every platform ActiveSeg runs on), one memcpy each way.

import Foundation

enum BlobCoding {
  /// Packs float32 values into a blob.
  static func data(_ values: [Float]) -> Data {
    values.withUnsafeBytes { Data($0) }
  }

  /// Packs bytes into a blob.
  static func data(_ values: [UInt8]) -> Data {
    Data(values)
  }

  /// Unpacks a float32 blob; nil if its length is not a multiple of 4.
  static func floats(_ data: Data) -> [Float]? {
    guard data.count % MemoryLayout<Float>.size == 0 else { return nil }
    let count = data.count / MemoryLayout<Float>.size
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      data.withUnsafeBytes { raw in
        if count > 0 { memcpy(buffer.baseAddress!, raw.baseAddress!, data.count) }
      }
      initialized = count
    }
  }

  /// Unpacks a uint8 blob.
  static func bytes(_ data: Data) -> [UInt8] {
    [UInt8](data)
  }

  /// Packs float32 values as float16 (round to nearest even): predictions, where 3 decimals suffice.
  static func halfData(_ values: [Float]) -> Data {
    values.map { Float16($0) }.withUnsafeBytes { Data($0) }
  }

  /// Unpacks a float16 blob into float32 values.
  static func floatsFromHalf(_ data: Data) -> [Float] {
    let count = data.count / MemoryLayout<Float16>.size
    return data.withUnsafeBytes { raw in
      (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 2, as: Float16.self)) }
    }
  }
}
