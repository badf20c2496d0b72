// WSL4MIS Encoder: ConvBlock, then (MaxPool2d(2) → ConvBlock) per deeper level; returns every level's features.

import TensorCore

/// UNet encoder. Names: `<name>.in_conv`, `<name>.down{i}.maxpool_conv.1` (i = 1…levels−1).
public struct Encoder: Sendable {
  public let blocks: [ConvBlock]
  public let pool = MaxPool2d(kernelSize: 2)

  public init(name: String, config: UNetConfig) {
    var blocks = [
      ConvBlock(
        name: "\(name).in_conv", inputChannels: config.inputChannels,
        outputChannels: config.channels[0], dropout: config.dropout[0])
    ]
    for i in 1..<config.levels {
      blocks.append(
        ConvBlock(
          name: "\(name).down\(i).maxpool_conv.1", inputChannels: config.channels[i - 1],
          outputChannels: config.channels[i], dropout: config.dropout[i]))
    }
    self.blocks = blocks
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    for b in blocks { b.register(in: &store, using: &rng) }
  }

  public struct Cache: Sendable {
    var blocks: [ConvBlock.Cache] = []
    var pools: [MaxPool2d.Cache] = []
  }

  /// x: (N, Cin, H, W) → features[i]: (N, channels[i], H/2^i, W/2^i)
  public func callAsFunction(
    _ x: Tensor, _ store: inout ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> ([Tensor], Cache) {
    var cache = Cache()
    var features: [Tensor] = []
    var h = x
    for (i, block) in blocks.enumerated() {
      if i > 0 {
        let (p, pc) = pool(h)
        cache.pools.append(pc)
        h = p
      }
      let (y, bc) = block(h, &store, training: training, using: &rng)
      cache.blocks.append(bc)
      features.append(y)
      h = y
    }
    return (features, cache)
  }

  /// Walks the levels deepest first; `dFeatures[i]` is the total gradient reaching level i's output
  /// (skip path plus, for the deepest, the decoder input). Returns dx.
  public func backward(_ dFeatures: [Tensor], _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    var carry: Tensor? = nil
    for i in stride(from: blocks.count - 1, through: 0, by: -1) {
      var d = dFeatures[i]
      if let c = carry { d.add(c) }
      let dIn = blocks[i].backward(d, cache.blocks[i], &store)
      carry = i > 0 ? pool.backward(dIn, cache.pools[i - 1]) : dIn
    }
    return carry!
  }
}
