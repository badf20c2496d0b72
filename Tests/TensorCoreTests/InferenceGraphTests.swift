// The fused, blocked-layout InferenceGraph against the naive reference kernels: convolution with a fused
// LeakyReLU post-op, MC dropout in place, max pooling, transposed convolution and concat, at channel counts that
// fill oneDNN's blocks and at counts that need padding; compiled once per shape.

import Randomness
import Testing
import TensorCore
import TestSupport

struct InferenceGraphTests {
  static let slope: Float = 0.01

  struct Weights {
    let w1 = Tensor.random([8, 1, 3, 3], seed: 21, scale: 0.3), b1 = Tensor.random([8], seed: 22, scale: 0.3)
    let w2 = Tensor.random([16, 8, 3, 3], seed: 23, scale: 0.3), b2 = Tensor.random([16], seed: 24, scale: 0.3)
    let w3 = Tensor.random([5, 16, 3, 3], seed: 25, scale: 0.3), b3 = Tensor.random([5], seed: 26, scale: 0.3)
    let wt = Tensor.random([5, 3, 2, 2], seed: 27, scale: 0.3), bt = Tensor.random([3], seed: 28, scale: 0.3)
    let w4 = Tensor.random([4, 19, 3, 3], seed: 29, scale: 0.3), b4 = Tensor.random([4], seed: 30, scale: 0.3)
  }

  /// conv(1→8)+leaky → dropout → conv(8→16)+leaky → pool → conv(16→5) → deconv(5→3) → concat(16, 3) → conv(19→4).
  func graph(_ w: Weights) -> InferenceGraph {
    let g = InferenceGraph(inputChannels: 1)
    var h = g.convolution(g.input, weight: w.w1, bias: w.b1, padding: 1, activation: .leakyReLU(slope: Self.slope))
    h = g.dropout(h, p: 0.3)
    let skip = g.convolution(h, weight: w.w2, bias: w.b2, padding: 1, activation: .leakyReLU(slope: Self.slope))
    h = g.maxPool(skip, kernel: 2)
    h = g.convolution(h, weight: w.w3, bias: w.b3, padding: 1)
    h = g.transposedConvolution(h, weight: w.wt, bias: w.bt)
    g.setOutput(g.convolution(g.concat(skip, h), weight: w.w4, bias: w.b4, padding: 1))
    return g
  }

  static func leaky(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, data: x.data.map { $0 > 0 ? $0 : $0 * slope })
  }

  static func conv(_ x: Tensor, _ w: Tensor, _ b: Tensor, padding: Int = 1, transposed: Bool = false) -> Tensor {
    let (n, c, h, wd) = x.nchw
    let k = w.shape[2]
    let g = ConvGeometry(
      batch: n, inputChannels: c, outputChannels: transposed ? w.shape[1] : w.shape[0], inputHeight: h,
      inputWidth: wd, kernelHeight: k, kernelWidth: k, stride: transposed ? k : 1, padding: padding,
      transposed: transposed)
    return Convolution.forwardNaive(x, weight: w, bias: b, geometry: g)
  }

  /// The same network from the naive kernels, layer by layer, dropout masks drawn in the graph's order.
  func reference(_ x: Tensor, _ w: Weights, dropout: Bool, using rng: inout some RandomNumberGenerator) -> Tensor {
    var h = Self.leaky(Self.conv(x, w.w1, w.b1))
    if dropout { h = Dropout.apply(h, mask: Dropout.mask(count: h.count, p: 0.3, using: &rng)) }
    let skip = Self.leaky(Self.conv(h, w.w2, w.b2))
    h = MaxPool.forward(skip, kernel: 2).0
    h = Self.conv(h, w.w3, w.b3)
    h = Self.conv(h, w.wt, w.bt, padding: 0, transposed: true)
    return Self.conv(Concat.channels(skip, h), w.w4, w.b4)
  }

  @Test func matchesTheNaiveKernelsWithAndWithoutDropout() {
    let w = Weights(), g = graph(w)
    for (batch, height, width) in [(3, 12, 10), (1, 8, 8), (3, 12, 10)] {
      let x = Tensor.random([batch, 1, height, width], seed: UInt64(batch * 100 + height))
      var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
      let eval = g.run(x, dropout: false, using: &a)
      #expect(eval.shape == [batch, 4, height, width])
      #expect(
        Approx.worstRatio(eval.data, reference(x, w, dropout: false, using: &b).data, rtol: 1e-4, atol: 1e-4) <= 1)
      let mc = g.run(x, dropout: true, using: &a)
      #expect(Approx.worstRatio(mc.data, reference(x, w, dropout: true, using: &b).data, rtol: 1e-4, atol: 1e-4) <= 1)
      #expect(!Approx.equal(mc.data, eval.data, rtol: 1e-3, atol: 1e-3))
      #expect(a.next() == b.next())  // the same number of draws
    }
    // two shapes, each compiled once; the third run reused the first
    #expect(g.compilations == 2)
  }

  @Test func runsAreDeterministicAndLeaveTheInputUntouched() {
    let g = graph(Weights())
    let x = Tensor.random([2, 1, 8, 6], seed: 3, scale: 0.3)
    let copy = x
    var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
    #expect(g.run(x, dropout: true, using: &a).data == g.run(x, dropout: true, using: &b).data)
    #expect(x.data == copy.data)
  }
}
