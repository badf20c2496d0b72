// The error thrown by dataset readers and importers: a code plus a message that names the file (or slice),
// says what is wrong and how to fix it.

/// A failure to read or import a dataset.
public struct DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure this is; extensible.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A file or folder the dataset needs does not exist.
    public static let missingFile = Code("missingFile")
    /// A file cannot be decoded (bad gzip stream, bad header, not the expected format).
    public static let corruptFile = Code("corruptFile")
    /// A file ends before all its data.
    public static let truncatedFile = Code("truncatedFile")
    /// The format is valid but uses a feature this reader does not support (e.g. a datatype).
    public static let unsupported = Code("unsupported")
    /// An image has the wrong number of dimensions.
    public static let wrongDimensionality = Code("wrongDimensionality")
    /// Image, label or scribble shapes differ.
    public static let shapeMismatch = Code("shapeMismatch")
    /// A label value is outside the dataset's classes.
    public static let labelOutOfRange = Code("labelOutOfRange")
    /// Required metadata (Info.cfg, dataset.json, a key inside them) is missing or malformed.
    public static let invalidMetadata = Code("invalidMetadata")
    /// An HDF5 file cannot be opened or a dataset inside it is missing or unreadable.
    public static let hdf5 = Code("hdf5")
    /// An I/O call failed (e.g. writing).
    public static let io = Code("io")
  }

  /// The kind of failure.
  public var code: Code
  /// What happened, which file, and how to fix it.
  public var message: String
  /// The file or folder concerned, when there is one.
  public var path: String?

  public init(code: Code, message: String, path: String? = nil) {
    self.code = code
    self.message = message
    self.path = path
  }

  public var description: String { "DatasetError(\(code)): \(message)" }
}
