// Where the annotators' desk keeps its leases, so that a restarted gateway neither hands a held slice to someone
// else nor forgets who holds it: the desk writes an experiment's live leases before it answers, and reads them
// back when a resumed round registers its picks again.
import Foundation

/// A lease as persisted: who holds which pick until when.
public struct StoredLease: Codable, Sendable, Hashable {
  public var slice: Int64
  public var annotator: String
  public var expiresUnixMs: Int64

  public init(slice: Int64, annotator: String, expires: Date) {
    self.slice = slice
    self.annotator = annotator
    self.expiresUnixMs = Int64((expires.timeIntervalSince1970 * 1000).rounded())
  }

  public var expires: Date { Date(timeIntervalSince1970: Double(expiresUnixMs) / 1000) }
}

public protocol LeaseJournal: Sendable {
  /// The leases last saved for `experiment` (empty when none were).
  func leases(experiment: Int64) async throws -> [StoredLease]
  /// Replaces the saved leases of `experiment`.
  func saveLeases(_ leases: [StoredLease], experiment: Int64) async throws
}
