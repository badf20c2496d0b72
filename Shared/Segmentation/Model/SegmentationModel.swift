// A trained (or training) segmentation network: its config and parameters, built from or saved to a checkpoint.
// Inference (labels, probabilities, MC dropout, evaluation) is in SegmentationModel+Inference.swift.

import NeuralNet
import Randomness
import TensorCore

/// A `UNet` or `UNetCCT` with its parameters. Value type; inference does not change it.
public struct SegmentationModel: Sendable {
  public let config: SegmentationModelConfig
  /// Parameters and batch-norm running statistics.
  public var store: ParameterStore

  /// The encoder and the decoder used for inference (the main decoder of a `UNetCCT`).
  let encoder: Encoder
  let decoder: Decoder

  /// Wraps existing parameters; their names and shapes must fit `config`.
  public init(config: SegmentationModelConfig, store: ParameterStore) {
    self.config = config
    self.store = store
    switch config.kind {
    case .full:
      let net = UNet(config: config.network)
      (encoder, decoder) = (net.encoder, net.decoder)
    case .scribble:
      let net = UNetCCT(config: config.network)
      (encoder, decoder) = (net.encoder, net.mainDecoder)
    }
  }

  /// A freshly initialised model (PyTorch default init drawn from `rng`).
  public init(config: SegmentationModelConfig, using rng: inout some RandomNumberGenerator) {
    let store: ParameterStore
    switch config.kind {
    case .full: store = UNet(config: config.network).makeParameters(using: &rng)
    case .scribble: store = UNetCCT(config: config.network).makeParameters(using: &rng)
    }
    self.init(config: config, store: store)
  }

  /// Reads a checkpoint written by `checkpoint()`.
  public init(checkpoint bytes: [UInt8]) throws {
    let decoded: Checkpoint<SegmentationModelConfig>
    do { decoded = try Checkpoint<SegmentationModelConfig>(decoding: bytes) } catch {
      throw SegmentationError(.badCheckpoint, "cannot read segmentation checkpoint: \(error)")
    }
    var rng = SplitMix64(seed: 0)
    var fresh = SegmentationModel(config: decoded.config, using: &rng)
    do { try decoded.apply(to: &fresh.store) } catch {
      throw SegmentationError(.badCheckpoint, "segmentation checkpoint does not fit its own config: \(error)")
    }
    self = fresh
  }

  /// The model as checkpoint bytes (config as JSON, then every parameter and buffer).
  public func checkpoint() throws -> [UInt8] {
    try Checkpoint(config: config, store: store).encoded()
  }

  /// Side of the square input the network runs at.
  public var imageSize: Int { config.preset.imageSize }
  /// Output classes, background included.
  public var classes: Int { config.network.classes }
}
