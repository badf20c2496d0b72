// The storage service's database: one SQLite file in WAL mode that keeps every pixel, every label,
// and the experiments, rounds, checkpoints, embeddings and selections built on them.

import Foundation
import GRDB

/// A handle on one ActiveSeg database file. Thread-safe: reads run concurrently, writes are serialized.
///
/// All methods are synchronous and may block on disk I/O; from async code, call them through
/// ``perform(_:)``, which keeps them off the cooperative thread pool.
public final class Store: Sendable {
  /// The GRDB pool (one writer, several readers).
  let pool: DatabasePool
  /// The database file path.
  public let path: String
  /// Set for stores made by ``temporary()``: the folder removed when the store goes away.
  private let temporaryDirectory: URL?

  /// Opens (creating if needed) the database at `path` and migrates it to the newest schema.
  ///
  /// Throws `.schemaTooNew` if the file was written by a newer ActiveSeg.
  public convenience init(path: String) throws {
    try self.init(path: path, temporaryDirectory: nil)
  }

  private init(path: String, temporaryDirectory: URL?) throws {
    self.path = path
    self.temporaryDirectory = temporaryDirectory
    try Store.checkWritable(path)
    do {
      pool = try DatabasePool(path: path, configuration: Store.configuration())
      // DatabasePool sets synchronous = NORMAL on its writer after prepareDatabase; raise it (see configuration()).
      try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    } catch {
      throw StoreError(
        .database, "cannot open database \(path): \(error); check that the folder exists and is writable", cause: error)
    }
    try Store.checkSchemaVersion(pool, path: path)
    do {
      try StoreMigrations.migrator.migrate(pool)
    } catch {
      throw StoreError.wrap(error, "migrating database \(path)")
    }
  }

  /// A store in a fresh temporary folder, deleted when the store is released. For tests.
  public static func temporary() throws -> Store {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("activeseg-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return try Store(path: dir.appendingPathComponent("store.sqlite").path, temporaryDirectory: dir)
  }

  deinit {
    if let temporaryDirectory {
      try? pool.close()
      try? FileManager.default.removeItem(at: temporaryDirectory)
    }
  }

  /// The schema versions this build knows, oldest first ("v1", ...).
  public static var knownSchemaVersions: [String] { StoreMigrations.migrator.migrations }

  /// The schema versions applied to this file.
  public func appliedSchemaVersions() throws -> [String] {
    try read("reading schema versions") { db in try StoreMigrations.migrator.appliedMigrations(db) }
  }

  // MARK: - Configuration

  /// WAL (set by `DatabasePool`), 64 KiB pages, foreign keys, 5 s busy timeout; the writer runs with
  /// synchronous FULL (set in `init`, after the pool has set its own NORMAL).
  ///
  /// synchronous = FULL: in WAL mode NORMAL already survives a process crash (kill -9), but a power
  /// loss may drop the last commits. Commits here are either rare and large (imports) or small and
  /// precious (an annotator's minutes of work), so one fsync per commit is cheap insurance.
  static func configuration() -> Configuration {
    var config = Configuration()
    config.foreignKeysEnabled = true
    config.busyMode = .timeout(5)
    config.prepareDatabase { db in
      // Takes effect only before the first write of a new file; a no-op afterwards.
      try db.execute(sql: "PRAGMA page_size = 65536")
      // Truncate the WAL back to 64 MiB after a checkpoint (a large import grows it to the data size).
      try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
    }
    return config
  }

  /// Refuses, with the reason and the fix, a database that could not be written: a read-only file system, or a
  /// file or folder this user may not write. SQLite would open some of these and fail only at the first write,
  /// long after start-up, or fail with a bare "unable to open database file".
  static func checkWritable(_ path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    // A missing folder is not a permission problem: opening then fails with its own message (.database).
    guard FileManager.default.fileExists(atPath: folder) else { return }
    var info = statvfs()
    if statvfs(folder, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0 {
      throw StoreError(
        .readOnly,
        "database \(path) is on a read-only file system (\(folder)); remount it read-write, or point the storage service's --database at a writable place"
      )
    }
    let exists = FileManager.default.fileExists(atPath: path)
    if exists ? access(path, W_OK) != 0 : access(folder, W_OK) != 0 {
      throw StoreError(
        .readOnly,
        "database \(path) is read-only: \(exists ? "the file" : "its folder \(folder)") is not writable by this user; fix its permissions (SQLite also writes \(URL(fileURLWithPath: path).lastPathComponent)-wal and -shm beside it), or point --database elsewhere"
      )
    }
    for suffix in ["-wal", "-shm"]
    where FileManager.default.fileExists(atPath: path + suffix) && access(path + suffix, W_OK) != 0 {
      throw StoreError(
        .readOnly,
        "database \(path) cannot be opened for writing: \(path + suffix) is not writable by this user; fix its permissions"
      )
    }
  }

  private static func checkSchemaVersion(_ pool: DatabasePool, path: String) throws {
    let migrator = StoreMigrations.migrator
    let applied: Set<String>
    do {
      applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
    } catch {
      throw StoreError(
        .database, "cannot read schema version of \(path): \(error); is it an ActiveSeg database?", cause: error)
    }
    let unknown = applied.subtracting(migrator.migrations).sorted()
    if !unknown.isEmpty {
      throw StoreError(
        .schemaTooNew,
        "database \(path) has schema versions \(unknown.joined(separator: ", ")) that this ActiveSeg does not know (it knows up to \(migrator.migrations.last ?? "none")); it was written by a newer ActiveSeg: upgrade ActiveSeg, or open a different file"
      )
    }
  }

  // MARK: - Access helpers

  /// Runs `body` in a read transaction, wrapping database errors.
  func read<T>(_ context: String, _ body: (Database) throws -> T) throws -> T {
    do { return try pool.read(body) } catch { throw StoreError.wrap(error, context) }
  }

  /// Runs `body` in one write transaction (rolled back if it throws), wrapping database errors.
  func write<T>(_ context: String, _ body: (Database) throws -> T) throws -> T {
    do { return try pool.write(body) } catch { throw StoreError.wrap(error, context) }
  }
}
