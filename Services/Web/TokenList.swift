// The annotators allowed to sign in: a file of '<token> <annotator name>' lines made by `activeseg keys
// web-token`. It is read at start (a missing or malformed file stops the service with an error naming the
// line) and again whenever it changes, so adding or revoking an annotator needs no restart.
import Foundation
import Logging
import Messaging

final class TokenList: @unchecked Sendable {
  let path: String
  private let logger: Logger
  private let lock = NSLock()
  private var entries: [(token: [UInt8], name: String)] = []
  private var loadedModification: Date?

  init(path: String, logger: Logger) throws {
    self.path = path
    self.logger = logger
    guard FileManager.default.fileExists(atPath: path) else {
      throw ServiceError(
        .notFound,
        "the token file \(path) does not exist; make one with `activeseg keys web-token --name NAME --file \(path)`")
    }
    entries = try Self.parse(path)
    guard !entries.isEmpty else {
      throw ServiceError(
        .failedPrecondition,
        "the token file \(path) holds no token, so nobody could sign in; add one with `activeseg keys web-token --name NAME --file \(path)`"
      )
    }
    loadedModification = Self.modification(path)
  }

  /// The annotator whose token this is, or nil. Compares every token in full (no early exit on a mismatch).
  func annotator(token: String) -> String? {
    reloadIfChanged()
    let given = Array(token.utf8)
    let current = lock.withLock { entries }
    var found: String?
    for entry in current where entry.token.count == given.count {
      var difference: UInt8 = 0
      for (a, b) in zip(entry.token, given) { difference |= a ^ b }
      if difference == 0 { found = entry.name }
    }
    return found
  }

  private func reloadIfChanged() {
    let modified = Self.modification(path)
    guard modified != lock.withLock({ loadedModification }) else { return }
    do {
      let fresh = try Self.parse(path)
      lock.withLock {
        entries = fresh
        loadedModification = modified
      }
      logger.info("token file re-read", metadata: ["path": "\(path)", "annotators": "\(Set(fresh.map(\.name)).count)"])
    } catch {
      // Keep serving with the tokens read before; say why the new file was not taken.
      logger.warning(
        "token file changed but cannot be read; keeping the previous tokens", metadata: ["error": "\(error)"])
      lock.withLock { loadedModification = modified }
    }
  }

  static func parse(_ path: String) throws -> [(token: [UInt8], name: String)] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw ServiceError(.failedPrecondition, "cannot read the token file \(path): \(error.localizedDescription)")
    }
    var entries: [(token: [UInt8], name: String)] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count == 2, fields[0].count >= 16 else {
        throw ServiceError(
          .invalidArgument,
          "\(path) line \(index + 1): expected '<token of 16+ characters> <annotator name>'; remake it with `activeseg keys web-token`"
        )
      }
      entries.append((Array(fields[0].utf8), String(fields[1])))
    }
    return entries
  }

  private static func modification(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}
