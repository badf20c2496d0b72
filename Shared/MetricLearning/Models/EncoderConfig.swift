// Shape of the GCL encoder (method spec §3.2): ResNet stem, stage widths and depths, projection size.

/// Configuration of the ResNet-style encoder and its SimCLR projection head.
public struct EncoderConfig: Codable, Sendable, Hashable {
  /// The stem in front of the residual stages.
  public enum Stem: String, Codable, Sendable {
    /// 7×7 stride-2 conv (pad 3) + BN + ReLU + 3×3 stride-2 max-pool: torchvision ResNet (the paper).
    case imagenet
    /// 3×3 stride-1 conv (pad 1) + BN + ReLU, no pool: the small-input / CPU variant.
    case small
  }

  public var inputChannels: Int
  public var stem: Stem
  /// Channels of the stem and the first stage; stage i has `baseChannels · 2^i`.
  public var baseChannels: Int
  /// BasicBlocks per stage; stage 0 has stride 1, every later stage starts with stride 2.
  public var blocksPerStage: [Int]
  /// Output size of the projection head (64 in the paper).
  public var projectionDimension: Int

  public init(
    inputChannels: Int = 1, stem: Stem, baseChannels: Int, blocksPerStage: [Int], projectionDimension: Int = 64
  ) {
    self.inputChannels = inputChannels
    self.stem = stem
    self.baseChannels = baseChannels
    self.blocksPerStage = blocksPerStage
    self.projectionDimension = projectionDimension
  }

  /// Width of the encoder output (the GAP feature): `baseChannels · 2^(stages−1)`.
  public var featureDimension: Int { baseChannels << (blocksPerStage.count - 1) }

  /// The paper's ResNet-18 with a 1-channel 7×7 stem: 512-d feature, 64-d projection (≈11.17 M encoder parameters).
  public static let paper = EncoderConfig(stem: .imagenet, baseChannels: 64, blocksPerStage: [2, 2, 2, 2])
  /// A CPU-sized ResNet-10-style encoder: 3×3 stem, width 16, one block per stage, 128-d feature.
  public static let cpu = EncoderConfig(stem: .small, baseChannels: 16, blocksPerStage: [1, 1, 1, 1])
  /// A tiny encoder for tests: width 8, two stages, 16-d feature, 16-d projection.
  public static let tiny = EncoderConfig(stem: .small, baseChannels: 8, blocksPerStage: [1, 1], projectionDimension: 16)

  /// Throws when a field is out of range.
  public func validate() throws {
    guard inputChannels > 0, baseChannels > 0, projectionDimension > 0, !blocksPerStage.isEmpty,
      blocksPerStage.allSatisfy({ $0 > 0 })
    else {
      throw MetricLearningError(
        .invalidConfig,
        "EncoderConfig \(self) needs positive channels, projection size and at least one block in every stage")
    }
  }
}
