// The JSON written beside an exported model's safetensors file: what network the weights belong to (so PyTorch
// can build it, and ActiveSeg can read the file back), what input it expects, and which run it came from.

import Foundation

public struct ExportedModelConfig: Codable, Sendable, Equatable {
  /// What this file is; a reader refuses any other value.
  public static let currentFormat = "activeseg-model/1"

  /// Where the run came from (experiment, strategy, seed, round, ensemble member, checkpoint id).
  public struct Source: Codable, Sendable, Equatable {
    public var experiment: Int64
    public var strategy: String
    public var seed: UInt64
    public var round: Int
    public var member: Int
    public var members: Int
    public var checkpoint: Int64

    public init(
      experiment: Int64, strategy: String, seed: UInt64, round: Int, member: Int, members: Int, checkpoint: Int64
    ) {
      self.experiment = experiment
      self.strategy = strategy
      self.seed = seed
      self.round = round
      self.member = member
      self.members = members
      self.checkpoint = checkpoint
    }
  }

  /// The input the network was trained on.
  public struct Input: Codable, Sendable, Equatable {
    public var height: Int
    public var width: Int
    public var channels: Int
    /// How slices were scaled before they reached the network.
    public var normalization: String
  }

  public var format: String
  /// `UNet` (full masks) or `UNet_CCT` (scribbles), WSL4MIS `networks/unet.py`, whose state_dict names the file uses.
  public var architecture: String
  /// The network's widths, per-level dropout and classes, as `UNetConfig` holds them.
  public var model: SegmentationModelConfig
  public var input: Input
  /// Class names, background first, in output-channel order.
  public var classNames: [String]
  public var source: Source

  public init(model: SegmentationModelConfig, height: Int, width: Int, classNames: [String], source: Source) {
    format = Self.currentFormat
    architecture = model.kind == .full ? "UNet" : "UNet_CCT"
    self.model = model
    input = Input(
      height: height, width: width, channels: model.network.inputChannels,
      normalization:
        "per volume: clip at the first histogram bin whose CDF reaches 0.99 (WSL4MIS), then min-max to [0, 1]; slices resized to height x width"
    )
    self.classNames = classNames
    self.source = source
  }

  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }

  /// Reads the JSON `json()` wrote; `file` names it in errors.
  public init(json data: Data, file: String) throws {
    let decoder = JSONDecoder()
    do { self = try decoder.decode(Self.self, from: data) } catch {
      throw SegmentationError(
        .badCheckpoint, "\(file) is not the config JSON `activeseg export --model` writes: \(error)")
    }
    guard format == Self.currentFormat else {
      throw SegmentationError(
        .badCheckpoint, "\(file) has format '\(format)'; this build reads '\(Self.currentFormat)'")
    }
  }
}
