// Options shared by all importers: target slice size, split seed and fractions, intensity preprocessing.

/// A slice size in pixels.
public struct SliceSize: Sendable, Codable, Equatable, Hashable {
  public var height: Int
  public var width: Int
  public init(height: Int, width: Int) {
    self.height = height
    self.width = width
  }
}

/// How intensities are preprocessed on load.
public enum IntensityPreprocessing: String, Sendable, Codable {
  /// Clip + min–max for raw formats (ACDC, nnU-Net, phantom); WSL4MIS files are already normalised and kept.
  case automatic
  /// Always clip at the 99th percentile and scale to [0, 1].
  case clipAndScale
  /// Keep source values.
  case none
}

/// Settings of an import.
public struct ImportOptions: Sendable, Codable, Equatable {
  /// Resize every slice to this size (nearest neighbour, as scipy zoom order 0); nil keeps the source size.
  public var targetSize: SliceSize?
  /// Seed of the patient split when the source has none.
  public var splitSeed: UInt64
  /// Train/val/test fractions of the seeded patient split (default 0.7/0.1/0.2).
  public var splitFractions: [Double]
  public var preprocessing: IntensityPreprocessing

  public init(
    targetSize: SliceSize? = nil, splitSeed: UInt64 = 0, splitFractions: [Double] = [0.7, 0.1, 0.2],
    preprocessing: IntensityPreprocessing = .automatic
  ) {
    self.targetSize = targetSize
    self.splitSeed = splitSeed
    self.splitFractions = splitFractions
    self.preprocessing = preprocessing
  }

  /// Throws `.invalidMetadata` when the options cannot be used (every importer's `plan()` calls this).
  public func validate() throws {
    guard splitFractions.count == 3, splitFractions.allSatisfy({ $0 >= 0 && $0.isFinite }),
      splitFractions.reduce(0, +) > 0
    else {
      throw DatasetError(
        code: .invalidMetadata,
        message:
          "split fractions \(splitFractions) must be three non-negative train/val/test numbers with a positive sum, e.g. [0.7, 0.1, 0.2]"
      )
    }
    if let size = targetSize, size.height < 1 || size.width < 1 || size.height > 4096 || size.width > 4096 {
      throw DatasetError(
        code: .invalidMetadata, message: "target slice size \(size.height)×\(size.width) must be within 1...4096")
    }
  }
}
