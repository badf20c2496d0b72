// How the list commands print: an aligned text table for people, or JSON (--json) for scripts.
import Foundation

enum Listing {
  /// Columns padded to their widest cell, two spaces apart.
  static func table(header: [String], rows: [[String]]) -> String {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    return ([header] + rows).map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }

  /// A JSON array of objects, keys sorted, pretty-printed.
  static func json(_ objects: [[String: Any]]) throws -> String {
    String(
      decoding: try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys]),
      as: UTF8.self)
  }

  /// A JSON object, keys sorted, pretty-printed.
  static func json(_ object: [String: Any]) throws -> String {
    String(
      decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]),
      as: UTF8.self)
  }

  /// Milliseconds since 1970 as an ISO 8601 time in UTC (empty for 0).
  static func date(_ unixMilliseconds: Int64) -> String {
    guard unixMilliseconds > 0 else { return "" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
  }
}
