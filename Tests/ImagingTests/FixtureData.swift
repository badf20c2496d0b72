// Loads the JSON fixtures written by Fixtures/make_fixtures.py (numpy, scipy, scikit-image).

import Foundation

enum FixtureData {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
  }

  struct Preprocessing: Decodable {
    var name: String
    var kind: String
    var shape: [Int]
    var values: [Double]
    var threshold: Double
    var normalized: [Double]
  }

  struct Zoom: Decodable {
    var `in`: [Int]
    var out: [Int]
    var rows: [Int]
    var cols: [Int]
  }
}
