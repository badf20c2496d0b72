// Health checks of the database file: row counts per table and referential integrity.

import Foundation
import GRDB

extension Store {
  /// The tables of the schema, in creation order.
  public static let tableNames = [
    "datasets", "patients", "volumes", "slices", "images", "ground_truth",
    "annotations", "experiments", "rounds", "checkpoints", "embeddings", "predictions",
    "selections", "audit"
  ]

  /// The number of rows in each table of the schema.
  public func rowCounts() throws -> [String: Int] {
    try read("counting rows") { db in
      var counts: [String: Int] = [:]
      for table in Store.tableNames {
        counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
      }
      return counts
    }
  }

  /// The number of rows whose foreign keys point nowhere (`PRAGMA foreign_key_check`); 0 when healthy.
  public func foreignKeyViolationCount() throws -> Int {
    try read("checking foreign keys") { db in
      try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
    }
  }

  /// `PRAGMA integrity_check` messages; `["ok"]` when the file is healthy.
  public func integrityCheck() throws -> [String] {
    try read("checking integrity") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
  }

  /// Copies the write-ahead log into the database file and truncates the log to zero bytes. The log otherwise
  /// keeps its size (up to `journal_size_limit`) for reuse; after a disk was full, this gives that space back.
  public func checkpoint() throws {
    do {
      try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    } catch { throw StoreError.wrap(error, "checkpointing the write-ahead log") }
  }

  /// A database setting, for example `page_size`, `journal_mode`, `foreign_keys`, `synchronous` (on the writer connection).
  public func pragma(_ name: String) throws -> String {
    guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else {
      throw StoreError(.invalidInput, "'\(name)' is not a pragma name; use letters and underscores only")
    }
    do {
      return try pool.writeWithoutTransaction { db in
        try String.fetchOne(db, sql: "PRAGMA \(name)") ?? ""
      }
    } catch { throw StoreError.wrap(error, "reading PRAGMA \(name)") }
  }
}
