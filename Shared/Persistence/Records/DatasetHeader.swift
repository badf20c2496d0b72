// What an importer says about a dataset before its volumes stream in.

/// The dataset-level facts of an import.
public struct DatasetHeader: Sendable, Equatable {
  /// Unique name of the dataset in this store.
  public var name: String
  /// Source format, for example `acdc`, `wsl4mis-h5`, `nnunet`, `phantom`.
  public var format: String
  /// Names of the classes, index = label value (background first).
  public var classNames: [String]
  /// Height of every stored slice, in pixels.
  public var sliceHeight: Int
  /// Width of every stored slice, in pixels.
  public var sliceWidth: Int
  /// Where the data came from (a folder, a file, or a generator description).
  public var sourcePath: String

  /// The number of classes, background included.
  public var classCount: Int { classNames.count }

  public init(
    name: String, format: String, classNames: [String], sliceHeight: Int, sliceWidth: Int,
    sourcePath: String
  ) {
    self.name = name
    self.format = format
    self.classNames = classNames
    self.sliceHeight = sliceHeight
    self.sliceWidth = sliceWidth
    self.sourcePath = sourcePath
  }
}
