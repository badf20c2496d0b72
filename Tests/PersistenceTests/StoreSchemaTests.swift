// Opening a store: migrations on a fresh file, database settings, and refusal of newer schemas.

import Foundation
import GRDB
import Persistence
import Testing

@Suite struct StoreSchemaTests {
  @Test func freshFileIsMigratedAndConfigured() throws {
    let store = try Store.temporary()
    #expect(try store.appliedSchemaVersions() == Store.knownSchemaVersions)
    #expect(Store.knownSchemaVersions.first == "v1")
    #expect(try store.pragma("page_size") == "65536")
    #expect(try store.pragma("journal_mode") == "wal")
    #expect(try store.pragma("foreign_keys") == "1")
    #expect(try store.pragma("synchronous") == "2")  // FULL
    let counts = try store.rowCounts()
    #expect(counts.count == Store.tableNames.count)
    #expect(counts.values.allSatisfy { $0 == 0 })
    #expect(try store.integrityCheck() == ["ok"])
  }

  @Test func reopeningKeepsData() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("db.sqlite").path
    do {
      let store = try Store(path: path)
      try store.createExperiment(name: "e", config: "{}", actor: "test")
    }
    let again = try Store(path: path)
    #expect(try again.experiment(named: "e") != nil)
    #expect(try again.appliedSchemaVersions() == ["v1", "v2"])
  }

  @Test func newerSchemaIsRefusedWithClearError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("db.sqlite").path
    _ = try Store(path: path)
    // Simulate a newer ActiveSeg that applied a migration this build does not know.
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
    try queue.close()
    let error = #expect(throws: StoreError.self) { _ = try Store(path: path) }
    #expect(error?.code == .schemaTooNew)
    #expect(error?.message.contains("v99") == true)
    #expect(error?.message.contains("newer") == true)
  }

  @Test func unopenablePathNamesThePath() throws {
    let error = #expect(throws: StoreError.self) { _ = try Store(path: "/nonexistent-dir-\(UUID())/db.sqlite") }
    #expect(error?.code == .database)
    #expect(error?.message.contains("nonexistent-dir") == true)
  }
}
