// WSL4MIS ConvBlock: Conv3×3 → BN → LeakyReLU → Dropout → Conv3×3 → BN → LeakyReLU, forward and backward.

import TensorCore

/// Two 3×3 convolutions with batch norm and LeakyReLU(0.01), dropout between them.
/// Parameter names follow the PyTorch `nn.Sequential` indices: `<name>.conv_conv.{0,1,4,5}`.
public struct ConvBlock: Sendable {
  public let conv1: Conv2d
  public let bn1: BatchNorm2d
  public let drop: DropoutLayer
  public let conv2: Conv2d
  public let bn2: BatchNorm2d
  public let act = LeakyReLU()

  public init(name: String, inputChannels: Int, outputChannels: Int, dropout: Float) {
    conv1 = Conv2d(name: "\(name).conv_conv.0", inputChannels: inputChannels, outputChannels: outputChannels)
    bn1 = BatchNorm2d(name: "\(name).conv_conv.1", channels: outputChannels)
    drop = DropoutLayer(p: dropout)
    conv2 = Conv2d(name: "\(name).conv_conv.4", inputChannels: outputChannels, outputChannels: outputChannels)
    bn2 = BatchNorm2d(name: "\(name).conv_conv.5", channels: outputChannels)
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    conv1.register(in: &store, using: &rng)
    bn1.register(in: &store)
    conv2.register(in: &store, using: &rng)
    bn2.register(in: &store)
  }

  public struct Cache: Sendable {
    var conv1: Conv2d.Cache, bn1: BatchNorm2d.Cache, act1: Tensor, drop: [Float]?
    var conv2: Conv2d.Cache, bn2: BatchNorm2d.Cache, act2: Tensor
  }

  /// x: (N, Cin, H, W) → (N, Cout, H, W)
  public func callAsFunction(
    _ x: Tensor, _ store: inout ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> (Tensor, Cache) {
    let (h1, c1) = conv1(x, store)
    let (h2, b1) = bn1(h1, &store, training: training)
    let (h3, a1) = act(h2)
    let (h4, d) = drop(h3, training: training, using: &rng)
    let (h5, c2) = conv2(h4, store)
    let (h6, b2) = bn2(h5, &store, training: training)
    let (y, a2) = act(h6)
    return (y, Cache(conv1: c1, bn1: b1, act1: a1, drop: d, conv2: c2, bn2: b2, act2: a2))
  }

  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    var d = act.backward(dy, cache.act2)
    d = bn2.backward(d, cache.bn2, &store)
    d = conv2.backward(d, cache.conv2, &store)
    d = drop.backward(d, cache.drop)
    d = act.backward(d, cache.act1)
    d = bn1.backward(d, cache.bn1, &store)
    return conv1.backward(d, cache.conv1, &store)
  }
}
