// Finite-difference checks of the encoder's hand-written backward: padded max-pool, a projection BasicBlock, and
// the whole network (train-mode BN) w.r.t. the input and sampled parameters.

import MetricLearning
import NeuralNet
import Randomness
import TensorCore
import TestSupport
import Testing

@Suite struct EncoderGradientTests {
  @Test func paddedMaxPool() {
    // x: (2, 2, 7, 7) → y: (2, 2, 4, 4)
    let pool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
    let x = Tensor.random([2, 2, 7, 7], seed: 5)
    let (y, cache) = pool(x)
    #expect(y.shape == [2, 2, 4, 4])
    let r = Tensor.random(y.shape, seed: 6)
    let dx = pool.backward(r, cache)
    let err = GradientCheck.relativeError(analytic: dx, { GradientCheck.dot(pool($0).0, r) }, at: x, maxChecks: 98)
    #expect(err < 1e-2, "relative error \(err)")
  }

  @Test(arguments: [1, 2])
  func basicBlock(_ stride: Int) {
    // x: (3, 2, 6, 6) → y: (3, 4, 6/stride, 6/stride); the channel change forces the projection shortcut
    let block = BasicBlock(name: "b", inputChannels: 2, outputChannels: 4, stride: stride)
    var rng = SplitMix64(seed: 9)
    var store = ParameterStore()
    block.register(in: &store, using: &rng)
    let x = Tensor.random([3, 2, 6, 6], seed: 10)
    var s = store
    let (y, cache) = block(x, &s, training: true)
    let r = Tensor.random(y.shape, seed: 11)
    let dx = block.backward(r, cache, &s)
    let f: (Tensor) -> Double = { input in
      var t = store; return GradientCheck.dot(block(input, &t, training: true).0, r)
    }
    let err = GradientCheck.relativeError(analytic: dx, f, at: x, eps: 1e-3, maxChecks: 72)
    #expect(err < 2e-2, "dx relative error \(err)")
    for name in ["b.conv1.weight", "b.downsample.0.weight", "b.bn2.weight"] {
      let g = GradientCheck.relativeError(
        analytic: s.gradients[name]!,
        { w in
          var t = store
          t.load(name, w)
          return GradientCheck.dot(block(x, &t, training: true).0, r)
        }, at: store[name], eps: 1e-3)
      #expect(g < 2e-2, "\(name) relative error \(g)")
    }
  }

  @Test(arguments: [EncoderConfig.Stem.small, .imagenet])
  func wholeNetwork(_ stem: EncoderConfig.Stem) {
    let config = EncoderConfig(stem: stem, baseChannels: 3, blocksPerStage: [1, 1], projectionDimension: 5)
    let net = ContrastiveNet(config: config)
    var rng = SplitMix64(seed: 21)
    let store = net.makeParameters(using: &rng)
    let size = stem == .small ? 6 : 12
    let x = Tensor.random([4, 1, size, size], seed: 22)
    var s = store
    let (_, z, cache) = net.project(x, &s)
    let r = Tensor.random(z.shape, seed: 23)
    let dx = net.backward(r, cache, &s)
    let loss: (Tensor, ParameterStore) -> Double = { input, params in
      var t = params
      return GradientCheck.dot(net.project(input, &t).z, r)
    }
    let err = GradientCheck.relativeError(analytic: dx, { loss($0, store) }, at: x, eps: 1e-3, maxChecks: 60)
    #expect(err < 3e-2, "dx relative error \(err)")
    for name in [
      "encoder.conv1.weight", "encoder.layer1.0.conv2.weight", "encoder.layer2.0.downsample.1.bias",
      "projector.0.weight", "projector.2.weight"
    ] {
      let g = GradientCheck.relativeError(
        analytic: s.gradients[name]!,
        { w in
          var t = store
          t.load(name, w)
          return loss(x, t)
        }, at: store[name], eps: 5e-4)
      #expect(g < 3e-2, "\(name) relative error \(g)")
    }
  }
}
