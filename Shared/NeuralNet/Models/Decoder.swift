// WSL4MIS Decoder: UpBlocks from the deepest feature back to full resolution, then a 3×3 output convolution.

import TensorCore

/// UNet decoder. Names: `<name>.up{i}` (i = 1…levels−1, deepest first) and `<name>.out_conv`.
public struct Decoder: Sendable {
  public let ups: [UpBlock]
  public let outConv: Conv2d

  public init(name: String, config: UNetConfig) {
    let ch = config.channels
    var ups: [UpBlock] = []
    for i in 1..<config.levels {
      let level = config.levels - 1 - i  // skip level: levels−2 … 0
      ups.append(
        UpBlock(
          name: "\(name).up\(i)", deepChannels: ch[level + 1],
          skipChannels: ch[level], outputChannels: ch[level]))
    }
    self.ups = ups
    outConv = Conv2d(name: "\(name).out_conv", inputChannels: ch[0], outputChannels: config.classes)
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    for u in ups { u.register(in: &store, using: &rng) }
    outConv.register(in: &store, using: &rng)
  }

  public struct Cache: Sendable {
    var ups: [UpBlock.Cache] = []
    var out: Conv2d.Cache? = nil
  }

  /// features[i]: (N, channels[i], H/2^i, W/2^i) → logits (N, classes, H, W)
  public func callAsFunction(
    _ features: [Tensor], _ store: inout ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> (Tensor, Cache) {
    var cache = Cache()
    var h = features[features.count - 1]
    for (i, up) in ups.enumerated() {
      let (y, c) = up(h, skip: features[features.count - 2 - i], &store, training: training, using: &rng)
      cache.ups.append(c)
      h = y
    }
    let (logits, oc) = outConv(h, store)
    cache.out = oc
    return (logits, cache)
  }
}
