// Whole-file reading and writing through zlib's gz* API: reads plain and gzip-compressed files alike and
// reports truncated or corrupt streams with the file's name.

import CZlib
import Foundation

/// gzip-aware file access.
enum Gzip {
  /// Reads up to `limit` bytes (all when nil) of `path`, decompressing gzip transparently.
  /// Throws `.truncatedFile` or `.corruptFile` for a damaged stream and `.missingFile` when absent.
  static func read(_ path: String, limit: Int? = nil) throws -> [UInt8] {
    guard FileManager.default.fileExists(atPath: path) else {
      throw DatasetError(code: .missingFile, message: "\(path) does not exist; check the dataset folder", path: path)
    }
    guard let file = gzopen(path, "rb") else {
      throw DatasetError(code: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))", path: path)
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)
    var out = [UInt8]()
    let chunk = 1 << 16
    var buffer = [UInt8](repeating: 0, count: chunk)
    while limit.map({ out.count < $0 }) ?? true {
      let want = min(chunk, (limit ?? Int.max) - out.count)
      let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(want)) }
      if n < 0 { throw streamError(file, path) }
      if n == 0 { break }
      out += buffer[0..<Int(n)]
    }
    // A header-only read that got its bytes is done, even if the rest of the file is damaged.
    if let limit, out.count >= limit { return out }
    // gzread returns a short count, not an error, at an unexpected end of a gzip member.
    var code: Int32 = 0
    _ = gzerror(file, &code)
    if code != Z_OK && code != Z_STREAM_END { throw streamError(file, path) }
    return out
  }

  /// Writes `bytes` to `path`, gzip-compressed when `compress`.
  static func write(_ bytes: [UInt8], to path: String, compress: Bool) throws {
    guard let file = gzopen(path, compress ? "wb6" : "wbT") else {
      throw DatasetError(
        code: .io,
        message: "cannot create \(path): \(String(cString: strerror(errno))); check the folder exists and is writable",
        path: path)
    }
    let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    let closed = gzclose(file)
    if Int(written) != bytes.count || closed != Z_OK {
      throw DatasetError(code: .io, message: "writing \(path) failed (disk full or not writable?)", path: path)
    }
  }

  private static func streamError(_ file: gzFile, _ path: String) -> DatasetError {
    var code: Int32 = 0
    var text = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
    if text.hasPrefix(path + ": ") { text.removeFirst(path.count + 2) }
    if text.contains("unexpected end") || code == Z_BUF_ERROR {
      return DatasetError(
        code: .truncatedFile,
        message: "\(path) is truncated (\(text)); re-download or re-export the file", path: path)
    }
    return DatasetError(
      code: .corruptFile,
      message: "\(path) is not a valid gzip stream (\(text)); re-download the file or decompress it and check it",
      path: path)
  }
}
