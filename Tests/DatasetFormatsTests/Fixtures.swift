// Paths of the fixture trees and expected values written by Fixtures/make_fixtures.py (nibabel, h5py,
// numpy, scipy, scikit-image), and a per-test temporary folder.

import Foundation
import Testing
@testable import DatasetFormats

enum Fixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func path(_ parts: String...) -> String {
    parts.reduce(folder) { $0.appendingPathComponent($1) }.path
  }

  static func expected(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appendingPathComponent("expected").appendingPathComponent(name))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func doubles(_ any: Any?) -> [Double] { (any as? [NSNumber])?.map(\.doubleValue) ?? [] }
  static func ints(_ any: Any?) -> [Int] { (any as? [NSNumber])?.map(\.intValue) ?? [] }

  static func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "compared arrays differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
  }

  /// A fresh temporary folder; remove it with `FileManager.default.removeItem`.
  static func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("datasetformats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }
}

/// Runs `body` and returns the DatasetError it throws (or records an issue when it does not throw one).
func datasetError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DatasetError? {
  do {
    try body()
    Issue.record("expected a DatasetError, nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as DatasetError {
    return error
  } catch {
    Issue.record("expected a DatasetError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
