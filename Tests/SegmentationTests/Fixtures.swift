// Loads the JSON fixtures made by Fixtures/make_fixtures.py (paths relative to this file, no SwiftPM resources).

import Foundation

enum Fixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
  }

  /// A digit string ("0120…") as label values.
  static func digits(_ s: String) -> [UInt8] { s.utf8.map { $0 - 48 } }

  /// The package root (two levels above this file's folder).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
}
