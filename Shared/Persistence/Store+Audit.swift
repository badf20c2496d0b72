// The audit log: every mutation of the store writes one row, in the same transaction.

import Foundation
import GRDB

extension Store {
  /// Appends an audit row inside the caller's write transaction.
  static func audit(_ db: Database, actor: String, action: String, entity: String, detail: String = "") throws {
    try db.cachedStatement(sql: "INSERT INTO audit (time, actor, action, entity, detail) VALUES (?, ?, ?, ?, ?)")
      .execute(arguments: [Date().timeIntervalSince1970, actor, action, entity, detail])
  }

  /// The newest audit entries, newest first.
  public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
    try read("reading the audit log") { db in
      try Row.fetchAll(
        db, sql: "SELECT id, time, actor, action, entity, detail FROM audit ORDER BY id DESC LIMIT ?",
        arguments: [limit]
      ).map { row in
        AuditEntry(
          id: row[0], time: Date(timeIntervalSince1970: row[1]), actor: row[2], action: row[3],
          entity: row[4], detail: row[5])
      }
    }
  }
}
