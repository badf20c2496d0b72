// Shape of a WSL4MIS-style UNet: input channels, classes, channels per level and dropout per encoder level.

/// Configuration of `UNet` / `UNetCCT` (WSL4MIS `networks/unet.py`).
///
/// `channels` gives the feature width per level (the default `[16, 32, 64, 128, 256]` is five levels,
/// four poolings), `dropout` the element-wise dropout inside each encoder block.
public struct UNetConfig: Codable, Sendable, Hashable {
  public var inputChannels: Int
  public var classes: Int
  public var channels: [Int]
  public var dropout: [Float]
  /// Channel-dropout probability on every encoder feature fed to the auxiliary decoder of `UNetCCT`.
  public var auxFeatureDropout: Float

  public init(
    inputChannels: Int = 1, classes: Int = 4, channels: [Int] = [16, 32, 64, 128, 256],
    dropout: [Float] = [0.05, 0.1, 0.2, 0.3, 0.5], auxFeatureDropout: Float = 0.5
  ) {
    precondition(
      channels.count >= 2 && channels.count == dropout.count,
      "UNetConfig needs at least 2 levels and one dropout per level, got \(channels) and \(dropout)")
    self.inputChannels = inputChannels
    self.classes = classes
    self.channels = channels
    self.dropout = dropout
    self.auxFeatureDropout = auxFeatureDropout
  }

  /// The network of the method spec §2.1 (1 input channel, 4 classes).
  public static let wsl4mis = UNetConfig()

  /// Number of resolution levels (encoder blocks).
  public var levels: Int { channels.count }
}
