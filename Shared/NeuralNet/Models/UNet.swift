// WSL4MIS UNet (method spec §2.1): Encoder + Decoder, full supervision. Backward is in UNet+Backward.swift.

import TensorCore
import Randomness

/// The segmentation UNet: `encoder.*` and `decoder.*` parameters, logits (N, classes, H, W).
/// With `UNetConfig.wsl4mis` it has 1,944,324 parameters.
public struct UNet: Sendable {
  public let config: UNetConfig
  public let encoder: Encoder
  public let decoder: Decoder

  public init(config: UNetConfig) {
    self.config = config
    encoder = Encoder(name: "encoder", config: config)
    decoder = Decoder(name: "decoder", config: config)
  }

  /// Freshly initialised parameters (PyTorch default init), drawn in registration order from `rng`.
  public func makeParameters(using rng: inout some RandomNumberGenerator) -> ParameterStore {
    var store = ParameterStore()
    encoder.register(in: &store, using: &rng)
    decoder.register(in: &store, using: &rng)
    return store
  }

  public struct Cache: Sendable {
    var encoder: Encoder.Cache
    var decoder: Decoder.Cache
  }

  /// x: (N, inputChannels, H, W) with H, W divisible by 2^(levels−1) → logits (N, classes, H, W).
  public func forward(
    _ x: Tensor, _ store: inout ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> (Tensor, Cache) {
    let (features, ec) = encoder(x, &store, training: training, using: &rng)
    let (logits, dc) = decoder(features, &store, training: training, using: &rng)
    return (logits, Cache(encoder: ec, decoder: dc))
  }

  /// Class probabilities in evaluation mode (running batch-norm statistics, no dropout): softmax of the logits.
  /// x: (N, inputChannels, H, W) → (N, classes, H, W). The store is inout only because forward can update
  /// running statistics in training mode; evaluation leaves it unchanged.
  public func probabilities(_ x: Tensor, _ store: inout ParameterStore) -> Tensor {
    var unused = SplitMix64(seed: 0)
    return Softmax.forward(forward(x, &store, training: false, using: &unused).0)
  }
}
