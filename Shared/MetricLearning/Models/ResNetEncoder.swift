// The GCL encoder g_φ (method spec §3.2): stem, residual stages of BasicBlocks, global average pooling.
// Forward returns the feature (N, F); backward walks the stages in reverse.

import NeuralNet
import TensorCore

/// ResNet encoder with torchvision names under `<name>.`: `conv1`, `bn1`, `layer{1…}.{j}.…`. No `fc`.
public struct ResNetEncoder: Sendable {
  public let config: EncoderConfig
  public let stemConv: Conv2d
  public let stemBN: BatchNorm2d
  public let stemPool: MaxPool2d?
  public let blocks: [BasicBlock]
  let relu = ReLU()

  public init(name: String, config: EncoderConfig) {
    self.config = config
    let c0 = config.baseChannels
    switch config.stem {
    case .imagenet:
      stemConv = Conv2d(
        name: "\(name).conv1", inputChannels: config.inputChannels, outputChannels: c0,
        kernelSize: 7, stride: 2, padding: 3, bias: false)
      stemPool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
    case .small:
      stemConv = Conv2d(
        name: "\(name).conv1", inputChannels: config.inputChannels, outputChannels: c0,
        kernelSize: 3, stride: 1, padding: 1, bias: false)
      stemPool = nil
    }
    stemBN = BatchNorm2d(name: "\(name).bn1", channels: c0)
    var blocks: [BasicBlock] = []
    var cin = c0
    for (s, count) in config.blocksPerStage.enumerated() {
      let cout = c0 << s
      for j in 0..<count {
        blocks.append(
          BasicBlock(
            name: "\(name).layer\(s + 1).\(j)", inputChannels: cin, outputChannels: cout,
            stride: (s > 0 && j == 0) ? 2 : 1))
        cin = cout
      }
    }
    self.blocks = blocks
  }

  /// Registers all parameters; the stem conv uses PyTorch's default init (the paper replaces conv1 with a fresh
  /// `nn.Conv2d`), the block convs torchvision's kaiming-normal fan-out init, BN γ = 1, β = 0.
  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    stemConv.register(in: &store, using: &rng)
    stemBN.register(in: &store)
    for b in blocks { b.register(in: &store, using: &rng) }
  }

  public struct Cache: Sendable {
    var conv: Conv2d.Cache, bn: BatchNorm2d.Cache, relu: Tensor
    var pool: MaxPool2d.Cache?
    var blocks: [BasicBlock.Cache]
    /// Shape of the last stage's output, input of the global average pool: (N, F, h, w).
    var pooledShape: [Int]
  }

  /// x: (N, Cin, H, W) → feature: (N, F), F = `config.featureDimension`.
  public func callAsFunction(_ x: Tensor, _ store: inout ParameterStore, training: Bool) -> (Tensor, Cache) {
    let (a, cc) = stemConv(x, store)
    let (b, bc) = stemBN(a, &store, training: training)
    var (h, rc) = relu(b)
    var pc: MaxPool2d.Cache? = nil
    if let pool = stemPool {
      let (p, c) = pool(h)
      h = p
      pc = c
    }
    var caches: [BasicBlock.Cache] = []
    caches.reserveCapacity(blocks.count)
    for block in blocks {
      let (y, c) = block(h, &store, training: training)
      caches.append(c)
      h = y
    }
    let feature = GlobalAveragePool.forward(h)
    return (feature, Cache(conv: cc, bn: bc, relu: rc, pool: pc, blocks: caches, pooledShape: h.shape))
  }

  /// dFeature: (N, F) → dx: (N, Cin, H, W); accumulates every parameter gradient.
  @discardableResult
  public func backward(_ dFeature: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    stemConv.backward(backwardToStemConv(dFeature, cache, &store), cache.conv, &store)
  }

  /// Accumulates every parameter gradient without computing dx (training never needs the image gradient; this
  /// skips the stem's backward-data convolution, the costliest single pass at full resolution).
  public func accumulateGradients(_ dFeature: Tensor, _ cache: Cache, _ store: inout ParameterStore) {
    stemConv.accumulateGradients(backwardToStemConv(dFeature, cache, &store), cache.conv, &store)
  }

  /// Walks back from the feature to the stem conv's output; returns the gradient there.
  private func backwardToStemConv(_ dFeature: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    var d = GlobalAveragePool.backward(dFeature, inputShape: cache.pooledShape)
    for i in stride(from: blocks.count - 1, through: 0, by: -1) {
      d = blocks[i].backward(d, cache.blocks[i], &store)
    }
    if let pool = stemPool, let pc = cache.pool { d = pool.backward(d, pc) }
    d = relu.backward(d, cache.relu)
    return stemBN.backward(d, cache.bn, &store)
  }
}
