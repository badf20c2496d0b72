// Conv2d and Linear with `bias: false` (PyTorch `bias=False`): only a weight is registered, and forward and
// backward equal the biased layer with a zero bias; the default (bias) keeps the checkpoint names.

import NeuralNet
import Randomness
import TensorCore
import TestSupport
import Testing

@Suite struct BiasFreeLayerTests {
  @Test func conv2dWithoutBiasEqualsZeroBias() {
    let plain = Conv2d(
      name: "c", inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1, bias: false)
    let biased = Conv2d(name: "c", inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1)
    var rng = SplitMix64(seed: 1)
    var a = ParameterStore(), b = ParameterStore()
    plain.register(in: &a, using: &rng)
    biased.register(in: &b, using: &rng)
    #expect(a.names == ["c.weight"])
    #expect(Set(b.names) == ["c.weight", "c.bias"])
    b.load("c.weight", a["c.weight"])
    b.load("c.bias", Tensor(shape: [3]))
    let x = Tensor.random([2, 2, 5, 5], seed: 2)
    let (ya, ca) = plain(x, a), (yb, cb) = biased(x, b)
    #expect(Approx.worstRatio(ya.data, yb.data, rtol: 1e-6, atol: 1e-7) <= 1)
    let dy = Tensor.random(ya.shape, seed: 3)
    let dxa = plain.backward(dy, ca, &a), dxb = biased.backward(dy, cb, &b)
    #expect(Approx.worstRatio(dxa.data, dxb.data, rtol: 1e-6, atol: 1e-7) <= 1)
    #expect(
      Approx.worstRatio(a.gradients["c.weight"]!.data, b.gradients["c.weight"]!.data, rtol: 1e-6, atol: 1e-7) <= 1)
    // the weights-only backward accumulates the same weight gradient
    var c = a
    c.zeroGradients()
    plain.accumulateGradients(dy, ca, &c)
    #expect(
      Approx.worstRatio(c.gradients["c.weight"]!.data, a.gradients["c.weight"]!.data, rtol: 1e-6, atol: 1e-7) <= 1)
  }

  @Test func kaimingFanOutInitHasTheRightSpread() {
    // N(0, 2/(Cout·k·k)): Cout 64, k 3 → std 0.0589
    let conv = Conv2d(
      name: "c", inputChannels: 32, outputChannels: 64, kernelSize: 3, bias: false,
      initialization: .kaimingNormalFanOut)
    var rng = SplitMix64(seed: 4)
    var store = ParameterStore()
    conv.register(in: &store, using: &rng)
    let w = store["c.weight"].data.map(Double.init)
    let mean = w.reduce(0, +) / Double(w.count)
    let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)).squareRoot()
    #expect(abs(mean) < 0.003)
    #expect(abs(std - (2.0 / 576).squareRoot()) < 0.002)
  }

  @Test func linearWithoutBiasEqualsZeroBias() {
    let plain = Linear(name: "l", inputFeatures: 4, outputFeatures: 3, bias: false)
    let biased = Linear(name: "l", inputFeatures: 4, outputFeatures: 3)
    var rng = SplitMix64(seed: 5)
    var a = ParameterStore(), b = ParameterStore()
    plain.register(in: &a, using: &rng)
    biased.register(in: &b, using: &rng)
    #expect(a.names == ["l.weight"])
    b.load("l.weight", a["l.weight"])
    b.load("l.bias", Tensor(shape: [3]))
    let x = Tensor.random([5, 4], seed: 6)
    let (ya, _) = plain(x, a), (yb, _) = biased(x, b)
    #expect(Approx.worstRatio(ya.data, yb.data, rtol: 1e-6, atol: 1e-7) <= 1)
    let dy = Tensor.random(ya.shape, seed: 7)
    let dxa = plain.backward(dy, x, &a), dxb = biased.backward(dy, x, &b)
    #expect(Approx.worstRatio(dxa.data, dxb.data, rtol: 1e-6, atol: 1e-7) <= 1)
    #expect(
      Approx.worstRatio(a.gradients["l.weight"]!.data, b.gradients["l.weight"]!.data, rtol: 1e-6, atol: 1e-7) <= 1)
  }

  @Test func maxPoolDefaultsToStrideKernel() {
    let pool = MaxPool2d(kernelSize: 2)
    #expect(pool.stride == 2 && pool.padding == 0)
    let (y, _) = pool(Tensor(shape: [1, 1, 4, 5], data: (0..<20).map(Float.init)))
    #expect(y.shape == [1, 1, 2, 2])
    #expect(Approx.worstRatio(y.data, [6, 8, 16, 18], rtol: 0, atol: 1e-6) <= 1)
  }
}
