// The one error type of MetricLearning: a code plus a message that names the thing and says how to fix it.

/// A failure in metric-learning set-up (bad slice groups, bad configs, checkpoint mismatch).
public struct MetricLearningError: Error, Sendable, CustomStringConvertible {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public static let invalidConfig = Code(name: "invalidConfig")
    public static let groupImpossible = Code(name: "groupImpossible")
    public static let shapeMismatch = Code(name: "shapeMismatch")
    public var description: String { name }
  }

  public var code: Code
  public var message: String
  public var description: String { "\(code): \(message)" }

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }
}
