// ResNet BasicBlock (He et al. 2016; torchvision `resnet.BasicBlock`): conv3×3-BN-ReLU-conv3×3-BN, plus the
// identity or a 1×1 stride-s conv+BN projection, then ReLU. Forward and backward side by side.

import NeuralNet
import TensorCore

/// One residual block. Names follow torchvision: `<name>.conv1`, `.bn1`, `.conv2`, `.bn2`, `.downsample.0` (conv),
/// `.downsample.1` (BN).
public struct BasicBlock: Sendable {
  public let conv1: Conv2d
  public let bn1: BatchNorm2d
  public let conv2: Conv2d
  public let bn2: BatchNorm2d
  /// The projection shortcut, present when the stride or the channel count changes.
  public let downsample: (conv: Conv2d, bn: BatchNorm2d)?
  let relu = ReLU()

  public init(name: String, inputChannels: Int, outputChannels: Int, stride: Int) {
    conv1 = Conv2d(
      name: "\(name).conv1", inputChannels: inputChannels, outputChannels: outputChannels,
      kernelSize: 3, stride: stride, padding: 1, bias: false, initialization: .kaimingNormalFanOut)
    bn1 = BatchNorm2d(name: "\(name).bn1", channels: outputChannels)
    conv2 = Conv2d(
      name: "\(name).conv2", inputChannels: outputChannels, outputChannels: outputChannels,
      kernelSize: 3, stride: 1, padding: 1, bias: false, initialization: .kaimingNormalFanOut)
    bn2 = BatchNorm2d(name: "\(name).bn2", channels: outputChannels)
    if stride != 1 || inputChannels != outputChannels {
      downsample = (
        Conv2d(
          name: "\(name).downsample.0", inputChannels: inputChannels, outputChannels: outputChannels,
          kernelSize: 1, stride: stride, padding: 0, bias: false, initialization: .kaimingNormalFanOut),
        BatchNorm2d(name: "\(name).downsample.1", channels: outputChannels)
      )
    } else {
      downsample = nil
    }
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    conv1.register(in: &store, using: &rng)
    bn1.register(in: &store)
    conv2.register(in: &store, using: &rng)
    bn2.register(in: &store)
    if let d = downsample {
      d.conv.register(in: &store, using: &rng)
      d.bn.register(in: &store)
    }
  }

  public struct Cache: Sendable {
    var conv1: Conv2d.Cache, bn1: BatchNorm2d.Cache, relu1: Tensor
    var conv2: Conv2d.Cache, bn2: BatchNorm2d.Cache
    var shortcut: (conv: Conv2d.Cache, bn: BatchNorm2d.Cache)?
    /// The block output, the final ReLU's cache.
    var output: Tensor
  }

  /// x: (N, Cin, H, W) → y: (N, Cout, H/s, W/s)
  public func callAsFunction(_ x: Tensor, _ store: inout ParameterStore, training: Bool) -> (Tensor, Cache) {
    let (a, c1) = conv1(x, store)
    let (b, n1) = bn1(a, &store, training: training)
    let (r, r1) = relu(b)
    let (c, c2) = conv2(r, store)
    var (sum, n2) = bn2(c, &store, training: training)
    var shortcut: (conv: Conv2d.Cache, bn: BatchNorm2d.Cache)? = nil
    if let d = downsample {
      let (p, pc) = d.conv(x, store)
      let (q, qc) = d.bn(p, &store, training: training)
      sum.add(q)
      shortcut = (pc, qc)
    } else {
      sum.add(x)
    }
    let (y, yc) = relu(sum)
    return (y, Cache(conv1: c1, bn1: n1, relu1: r1, conv2: c2, bn2: n2, shortcut: shortcut, output: yc))
  }

  /// dy: (N, Cout, H/s, W/s) → dx: (N, Cin, H, W); accumulates every parameter gradient.
  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    let dSum = relu.backward(dy, cache.output)
    var d = bn2.backward(dSum, cache.bn2, &store)
    d = conv2.backward(d, cache.conv2, &store)
    d = relu.backward(d, cache.relu1)
    d = bn1.backward(d, cache.bn1, &store)
    var dx = conv1.backward(d, cache.conv1, &store)
    if let ds = downsample, let sc = cache.shortcut {
      let dq = ds.bn.backward(dSum, sc.bn, &store)
      dx.add(ds.conv.backward(dq, sc.conv, &store))
    } else {
      dx.add(dSum)
    }
    return dx
  }
}
