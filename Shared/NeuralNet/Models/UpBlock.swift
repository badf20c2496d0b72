// WSL4MIS UpBlock: 2×2 transposed conv on the deep input, concat [skip, up] on channels, then a ConvBlock.

import TensorCore

/// Upsampling block. Names: `<name>.up` (ConvTranspose2d) and `<name>.conv` (ConvBlock, dropout 0).
public struct UpBlock: Sendable {
  public let up: ConvTranspose2d
  public let conv: ConvBlock
  public let skipChannels: Int

  public init(name: String, deepChannels: Int, skipChannels: Int, outputChannels: Int) {
    up = ConvTranspose2d(name: "\(name).up", inputChannels: deepChannels, outputChannels: skipChannels)
    conv = ConvBlock(name: "\(name).conv", inputChannels: 2 * skipChannels, outputChannels: outputChannels, dropout: 0)
    self.skipChannels = skipChannels
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    up.register(in: &store, using: &rng)
    conv.register(in: &store, using: &rng)
  }

  public struct Cache: Sendable {
    var up: ConvTranspose2d.Cache
    var conv: ConvBlock.Cache
  }

  /// deep: (N, Cd, H, W), skip: (N, Cs, 2H, 2W) → (N, Cout, 2H, 2W)
  public func callAsFunction(
    _ deep: Tensor, skip: Tensor, _ store: inout ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> (Tensor, Cache) {
    let (u, uc) = up(deep, store)
    let (y, cc) = conv(Concat.channels(skip, u), &store, training: training, using: &rng)
    return (y, Cache(up: uc, conv: cc))
  }

  /// Returns (dDeep, dSkip): the gradient is split at the concat, skip first.
  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> (deep: Tensor, skip: Tensor) {
    let dcat = conv.backward(dy, cache.conv, &store)
    let (dskip, dup) = Concat.split(dcat, firstChannels: skipChannels)
    return (up.backward(dup, cache.up, &store), dskip)
  }
}
