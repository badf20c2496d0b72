// The one error type of the Experiments module: a code plus a message that names the
// offending key path or value and says how to fix it.

/// A recoverable failure while reading an experiment definition or resuming its state.
public struct ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure this is.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The YAML text is not valid YAML.
    public static let malformedYAML = Code(name: "malformedYAML")
    /// A key is not part of the definition's schema.
    public static let unknownKey = Code(name: "unknownKey")
    /// A required key is absent.
    public static let missingKey = Code(name: "missingKey")
    /// A value has the wrong type or lies outside its allowed values.
    public static let invalidValue = Code(name: "invalidValue")
    /// A persisted round state cannot be reconciled with the round plan.
    public static let invalidState = Code(name: "invalidState")
    public var description: String { name }
  }

  /// What kind of failure this is.
  public var code: Code
  /// The key path the failure concerns, e.g. `strategies[1].name`; empty for the document root.
  public var path: String
  /// What happened and how to fix it.
  public var message: String

  public init(code: Code, path: String, message: String) {
    self.code = code
    self.path = path
    self.message = message
  }

  public var description: String {
    path.isEmpty ? "\(code): \(message)" : "\(code) at \(path): \(message)"
  }
}
