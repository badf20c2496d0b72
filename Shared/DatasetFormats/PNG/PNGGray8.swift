// 8-bit grayscale PNG, the format annotation masks and slice previews travel in: one byte per pixel,
// a class id per pixel for masks. Reads every filter type; writes unfiltered rows, deflated by zlib.

import CZlib
import Foundation

/// An 8-bit grayscale image, row-major.
public struct PNGGray8: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// `height × width` values.
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(
      pixels.count == width * height, "a \(width)×\(height) image needs \(width * height) pixels, got \(pixels.count)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

  // MARK: - Writing

  /// The PNG file bytes: IHDR (grayscale, depth 8), one IDAT, IEND.
  public func encoded() throws -> [UInt8] {
    var raw = [UInt8]()
    raw.reserveCapacity(height * (width + 1))
    for row in 0..<height {
      raw.append(0)  // filter: none
      raw += pixels[(row * width)..<((row + 1) * width)]
    }
    var header = [UInt8]()
    header += Self.bigEndian(UInt32(width)) + Self.bigEndian(UInt32(height))
    header += [8, 0, 0, 0, 0]  // depth 8, grayscale, deflate, adaptive filters, no interlace
    return Self.signature + Self.chunk("IHDR", header) + Self.chunk("IDAT", try Self.deflate(raw))
      + Self.chunk("IEND", [])
  }

  /// Writes the image to `path`.
  public func write(to path: String) throws {
    do { try Data(try encoded()).write(to: URL(fileURLWithPath: path)) } catch let error as DatasetError {
      throw error
    } catch {
      throw DatasetError(code: .io, message: "cannot write \(path): \(error.localizedDescription)", path: path)
    }
  }

  // MARK: - Reading

  /// Reads an 8-bit grayscale, non-interlaced PNG; other kinds get an `.unsupported` error saying how to convert.
  public static func read(_ path: String) throws -> PNGGray8 {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DatasetError(code: .missingFile, message: "\(path) does not exist or cannot be read", path: path)
    }
    return try decode([UInt8](data), path: path)
  }

  /// Decodes PNG bytes; `path` names the file in errors.
  public static func decode(_ bytes: [UInt8], path: String = "<png>") throws -> PNGGray8 {
    func corrupt(_ why: String) -> DatasetError {
      DatasetError(code: .corruptFile, message: "\(path) is not a valid PNG: \(why)", path: path)
    }
    guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { throw corrupt("the PNG signature is missing") }
    var offset = 8, width = 0, height = 0
    var compressed = [UInt8]()
    var sawHeader = false
    while offset + 8 <= bytes.count {
      let length = Int(readBigEndian(bytes, offset))
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      guard length >= 0, offset + 12 + length <= bytes.count else {
        throw corrupt("chunk \(type) runs past the end of the file")
      }
      let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
      switch type {
      case "IHDR":
        guard length == 13 else { throw corrupt("IHDR has \(length) bytes, not 13") }
        width = Int(readBigEndian(body, 0))
        height = Int(readBigEndian(body, 4))
        let depth = body[8], colour = body[9], interlace = body[12]
        guard depth == 8, colour == 0, interlace == 0 else {
          throw DatasetError(
            code: .unsupported,
            message:
              "\(path) is a PNG with bit depth \(depth), colour type \(colour), interlace \(interlace); save masks as 8-bit grayscale, non-interlaced (one class id per pixel)",
            path: path)
        }
        // Each side is a 32-bit field, so their product can overflow Int: multiply with the overflow check.
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, pixels <= 1 << 26 else {
          throw corrupt(
            "its IHDR size \(width)×\(height) is not usable (each side at least 1, at most \(1 << 26) pixels in all)")
        }
        sawHeader = true
      case "IDAT": compressed += body
      case "IEND": offset = bytes.count
      default: break
      }
      offset += 12 + length
    }
    guard sawHeader else { throw corrupt("the IHDR chunk is missing") }
    let raw = try inflate(compressed, expected: height * (width + 1), path: path)
    var pixels = [UInt8](repeating: 0, count: width * height)
    var previous = [UInt8](repeating: 0, count: width)
    for row in 0..<height {
      let filter = raw[row * (width + 1)]
      var line = Array(raw[(row * (width + 1) + 1)..<((row + 1) * (width + 1))])
      for x in 0..<width {
        let a = x > 0 ? Int(line[x - 1]) : 0, b = Int(previous[x]), c = x > 0 ? Int(previous[x - 1]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: throw corrupt("row \(row) uses filter type \(filter), which does not exist")
        }
        line[x] = UInt8(truncatingIfNeeded: Int(line[x]) + predictor)
      }
      pixels.replaceSubrange((row * width)..<((row + 1) * width), with: line)
      previous = line
    }
    return PNGGray8(width: width, height: height, pixels: pixels)
  }

  // MARK: - Helpers

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
  }

  static func readBigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
  }

  static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let typeBytes = Array(type.utf8)
    let crc = (typeBytes + body).withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
    return bigEndian(UInt32(body.count)) + typeBytes + body + bigEndian(crc)
  }

  static func deflate(_ raw: [UInt8]) throws -> [UInt8] {
    var size = compressBound(uLong(raw.count))
    var out = [UInt8](repeating: 0, count: Int(size))
    let status = out.withUnsafeMutableBufferPointer { o in
      raw.withUnsafeBufferPointer { compress2(o.baseAddress, &size, $0.baseAddress, uLong(raw.count), 6) }
    }
    guard status == Z_OK else {
      throw DatasetError(code: .io, message: "zlib could not compress a PNG (status \(status))")
    }
    return Array(out.prefix(Int(size)))
  }

  static func inflate(_ compressed: [UInt8], expected: Int, path: String) throws -> [UInt8] {
    var size = uLong(expected)
    var out = [UInt8](repeating: 0, count: max(expected, 1))
    let status = out.withUnsafeMutableBufferPointer { o in
      compressed.withUnsafeBufferPointer { uncompress(o.baseAddress, &size, $0.baseAddress, uLong(compressed.count)) }
    }
    guard status == Z_OK, Int(size) == expected else {
      throw DatasetError(
        code: status == Z_BUF_ERROR ? .truncatedFile : .corruptFile,
        message:
          "\(path) has image data that does not inflate to \(expected) bytes (zlib status \(status)); re-export it",
        path: path)
    }
    return out
  }
}
