// A per-test temporary folder, removed when the test succeeds (kept on failure for the logs).
import Foundation

public struct TemporaryDirectory: Sendable {
  public let path: String

  public init(_ prefix: String = "activeseg-test") throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    path = base.path
  }

  public func file(_ name: String) -> String { path + "/" + name }

  public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
