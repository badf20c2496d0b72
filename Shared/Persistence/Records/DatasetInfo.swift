// A stored dataset, as listed by the store.

import Foundation

/// A dataset row with its slice count.
public struct DatasetInfo: Sendable, Equatable {
  public var id: Int64
  public var name: String
  public var format: String
  public var classNames: [String]
  public var sliceHeight: Int
  public var sliceWidth: Int
  public var createdAt: Date
  public var sourcePath: String
  /// Number of slices in the dataset (all splits).
  public var sliceCount: Int

  /// The number of classes, background included.
  public var classCount: Int { classNames.count }
}
