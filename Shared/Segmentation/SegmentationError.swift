// The one error type of the Segmentation module: a code plus a message that names the problem and the fix.

/// A recoverable failure of training, evaluation or preset parsing.
public struct SegmentationError: Error, Sendable, CustomStringConvertible, Equatable {
  /// What kind of failure this is; extensible.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(name: String) { self.name = name }
    /// A preset key is unknown, missing or has a value outside its allowed range.
    public static let invalidPreset = Code(name: "invalidPreset")
    /// The preset text is not YAML or not a mapping.
    public static let malformedPreset = Code(name: "malformedPreset")
    /// Training or evaluation data has inconsistent sizes or label values.
    public static let invalidData = Code(name: "invalidData")
    /// The caller asked to stop.
    public static let cancelled = Code(name: "cancelled")
    /// A checkpoint does not decode or does not fit its model.
    public static let badCheckpoint = Code(name: "badCheckpoint")
    public var description: String { name }
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }
}
