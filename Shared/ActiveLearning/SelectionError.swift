// The one error type of the ActiveLearning module: a code plus a message that names the
// missing or malformed input and says how to fix it.

/// A recoverable failure of a selection request (missing data, unknown strategy, bad shapes).
public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure this is; extensible without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let raw: String
    /// A strategy needs data that the request did not carry.
    public static let missingData = Code(raw: "missingData")
    /// Data was present but its shape does not match the pool.
    public static let shapeMismatch = Code(raw: "shapeMismatch")
    /// No strategy is registered under the requested name.
    public static let unknownStrategy = Code(raw: "unknownStrategy")
    /// A parameter (budget, temperature, cluster count) is out of range.
    public static let invalidArgument = Code(raw: "invalidArgument")
    public var description: String { raw }
  }

  /// The failure kind.
  public var code: Code
  /// What happened and how to fix it.
  public var message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }
}
