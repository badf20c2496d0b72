// The one error type thrown by the Persistence module: a code, a message that names the
// thing and says how to fix it, and an optional underlying cause.

import GRDB

/// An error thrown by ``Store``.
public struct StoreError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure happened. Extensible: new codes can be added without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// The requested dataset, slice, experiment, round or checkpoint does not exist.
    public static let notFound = Code("notFound")
    /// A record with the same unique name or key already exists.
    public static let alreadyExists = Code("alreadyExists")
    /// Input with wrong shapes, out-of-range values or inconsistent references.
    public static let invalidInput = Code("invalidInput")
    /// The database file was written by a newer version of ActiveSeg.
    public static let schemaTooNew = Code("schemaTooNew")
    /// SQLite or the file system failed.
    public static let database = Code("database")
    /// The disk holding the database is full: the write was rolled back, nothing committed was lost.
    public static let diskFull = Code("diskFull")
    /// The database file, its folder or its file system cannot be written.
    public static let readOnly = Code("readOnly")
  }

  /// The kind of failure.
  public let code: Code
  /// What happened and how to fix it.
  public let message: String
  /// The underlying error, if any (for example a GRDB `DatabaseError`).
  public let cause: (any Error & Sendable)?

  public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String {
    if let cause { return "\(code): \(message) (cause: \(cause))" }
    return "\(code): \(message)"
  }
}

extension StoreError {
  /// Wraps SQLite errors as `.database` errors naming the context; any other error
  /// (a `StoreError`, or an importer's own error thrown from its volume stream) passes unchanged.
  static func wrap(_ error: any Error, _ context: String) -> any Error {
    guard let error = error as? DatabaseError else { return error }
    switch error.resultCode {
    case .SQLITE_FULL:
      return StoreError(
        .diskFull,
        "\(context) failed: the disk holding the database is full (\(error.message ?? "SQLITE_FULL")); this write was rolled back and everything committed before it is intact; free space on that disk (or move the database to a larger one) and retry",
        cause: error)
    case .SQLITE_READONLY:
      return StoreError(
        .readOnly,
        "\(context) failed: the database is read-only (\(error.message ?? "SQLITE_READONLY")); make the file, its folder and its file system writable, then restart the storage service",
        cause: error)
    default:
      return StoreError(.database, "\(context) failed: \(error)", cause: error)
    }
  }
}
