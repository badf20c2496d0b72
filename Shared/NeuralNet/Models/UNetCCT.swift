// WSL4MIS UNet_CCT (method spec §2.1): one encoder, a main decoder and an auxiliary decoder that sees
// channel-dropped features (dropout2d p=0.5, active even in evaluation, as upstream). Used with the DMPLS loss.

import TensorCore

/// Two-decoder UNet: `encoder.*`, `main_decoder.*`, `aux_decoder1.*`. 2,708,184 parameters with `UNetConfig.wsl4mis`.
public struct UNetCCT: Sendable {
  public let config: UNetConfig
  public let encoder: Encoder
  public let mainDecoder: Decoder
  public let auxDecoder: Decoder
  public let featureDropout: Dropout2d

  public init(config: UNetConfig) {
    self.config = config
    encoder = Encoder(name: "encoder", config: config)
    mainDecoder = Decoder(name: "main_decoder", config: config)
    auxDecoder = Decoder(name: "aux_decoder1", config: config)
    featureDropout = Dropout2d(p: config.auxFeatureDropout)
  }

  public func makeParameters(using rng: inout some RandomNumberGenerator) -> ParameterStore {
    var store = ParameterStore()
    encoder.register(in: &store, using: &rng)
    mainDecoder.register(in: &store, using: &rng)
    auxDecoder.register(in: &store, using: &rng)
    return store
  }

  public struct Cache: Sendable {
    var encoder: Encoder.Cache
    var main: Decoder.Cache
    var aux: Decoder.Cache
    var masks: [[Float]?]

    /// True when the auxiliary path zeroed at least one feature channel.
    public var hasDroppedChannels: Bool { masks.contains { $0?.contains(0) ?? false } }
  }

  /// x: (N, inputChannels, H, W) → (main logits, aux logits), each (N, classes, H, W).
  /// The auxiliary path is computed only when `auxiliary` is true (training); otherwise aux is empty.
  public func forward(
    _ x: Tensor, _ store: inout ParameterStore, training: Bool, auxiliary: Bool = true,
    using rng: inout some RandomNumberGenerator
  ) -> (main: Tensor, aux: Tensor, cache: Cache) {
    let (features, ec) = encoder(x, &store, training: training, using: &rng)
    let (main, mc) = mainDecoder(features, &store, training: training, using: &rng)
    guard auxiliary else {
      return (main, Tensor(shape: [0]), Cache(encoder: ec, main: mc, aux: Decoder.Cache(), masks: []))
    }
    var masks: [[Float]?] = []
    var dropped: [Tensor] = []
    for f in features {
      let (y, m) = featureDropout(f, training: true, using: &rng)
      dropped.append(y)
      masks.append(m)
    }
    let (aux, ac) = auxDecoder(dropped, &store, training: training, using: &rng)
    return (main, aux, Cache(encoder: ec, main: mc, aux: ac, masks: masks))
  }
}
