// Finite-difference checks for batch norm, activations, pooling, softmax, dense; dropout, concat behaviour.

import Testing
import TensorCore
import TestSupport
import Randomness

struct OpsTests {
  @Test func batchNormTrainGradients() {
    // x: (2, 3, 3, 2)
    let x = Tensor.random([2, 3, 3, 2], seed: 30), r = Tensor.random(x.shape, seed: 31)
    let gamma: [Float] = [1.2, -0.7, 0.5], beta: [Float] = [0.1, 0.2, -0.3]
    let (y, mean, variance, cache) = BatchNorm.trainForward(x, gamma: gamma, beta: beta)
    #expect(y.shape == x.shape && mean.count == 3 && variance.allSatisfy { $0 > 0 })
    let (dx, dg, db) = BatchNorm.backward(r, gamma: gamma, cache: cache)
    let f: (Tensor) -> Double = { GradientCheck.dot(BatchNorm.trainForward($0, gamma: gamma, beta: beta).y, r) }
    #expect(GradientCheck.worstRatio(analytic: dx, f, at: x, eps: 1e-2, rtol: 2e-2, atol: 2e-3) <= 1)
    let fg: (Tensor) -> Double = { GradientCheck.dot(BatchNorm.trainForward(x, gamma: $0.data, beta: beta).y, r) }
    #expect(
      GradientCheck.worstRatio(analytic: Tensor(shape: [3], data: dg), fg, at: Tensor(shape: [3], data: gamma)) <= 1)
    let fb: (Tensor) -> Double = { GradientCheck.dot(BatchNorm.trainForward(x, gamma: gamma, beta: $0.data).y, r) }
    #expect(
      GradientCheck.worstRatio(analytic: Tensor(shape: [3], data: db), fb, at: Tensor(shape: [3], data: beta)) <= 1)
  }

  // x: (N, C, H, W); planes of odd size exercise the vector tails, the offset exercises the shifted variance
  @Test(arguments: [[2, 3, 5, 7], [3, 2, 8, 8], [1, 4, 1, 3]])
  func batchNormMatchesReference(shape: [Int]) {
    var x = Tensor.random(shape, seed: 32, scale: 3)
    for i in 0..<x.count { x.data[i] += 40 }
    let c = shape[1]
    let gamma = (0..<c).map { Float($0) * 0.3 + 0.5 }, beta = (0..<c).map { Float($0) * -0.2 }
    let fast = BatchNorm.trainForward(x, gamma: gamma, beta: beta)
    let ref = BatchNorm.trainForwardNaive(x, gamma: gamma, beta: beta)
    #expect(Approx.worstRatio(fast.y.data, ref.y.data, rtol: 1e-4, atol: 1e-4) <= 1)
    #expect(Approx.worstRatio(fast.mean, ref.mean, rtol: 1e-6, atol: 1e-6) <= 1)
    #expect(Approx.worstRatio(fast.variance, ref.variance, rtol: 1e-4, atol: 1e-5) <= 1)
    let dy = Tensor.random(shape, seed: 33)
    let (dx, dg, db) = BatchNorm.backward(dy, gamma: gamma, cache: fast.cache)
    let r = BatchNorm.backwardNaive(dy, input: x, gamma: gamma)
    #expect(Approx.worstRatio(dx.data, r.dx.data, rtol: 1e-3, atol: 1e-4) <= 1)
    #expect(Approx.worstRatio(dg, r.dgamma, rtol: 1e-3, atol: 1e-4) <= 1)
    #expect(Approx.worstRatio(db, r.dbeta, rtol: 1e-4, atol: 1e-4) <= 1)
  }

  @Test func batchNormEvalUsesGivenStatistics() {
    let x = Tensor(shape: [1, 2, 1, 2], data: [1, 3, 10, 20])
    let y = BatchNorm.evalForward(x, gamma: [2, 1], beta: [0, 1], mean: [2, 10], variance: [1, 100], eps: 0)
    #expect(Approx.equal(y.data, [-2, 2, 1, 2]))
  }

  @Test(arguments: [Float(0.01), 0])
  func leakyReLUGradients(slope: Float) {
    var x = Tensor.random([2, 2, 3, 3], seed: 40)
    for i in 0..<x.count where abs(x.data[i]) < 0.05 { x.data[i] = 0.3 }  // keep away from the kink
    let r = Tensor.random(x.shape, seed: 41)
    let dx = Activation.leakyReLUBackward(r, input: x, slope: slope)
    #expect(
      GradientCheck.worstRatio(
        analytic: dx, { GradientCheck.dot(Activation.leakyReLU($0, slope: slope), r) }, at: x, eps: 1e-3) <= 1)
  }

  @Test func maxPoolForwardAndGradients() {
    // x: (1, 2, 4, 5) distinct values; odd width floors to 2 columns
    var rng = SplitMix64(seed: 5)
    let x = Tensor(shape: [1, 2, 4, 5], data: (0..<40).map { Float($0) * 0.1 }.shuffled(using: &rng))
    let (y, arg) = MaxPool.forward(x)
    #expect(y.shape == [1, 2, 2, 2])
    for i in 0..<y.count { #expect(abs(y.data[i] - x.data[Int(arg[i])]) < 1e-7) }
    let r = Tensor.random(y.shape, seed: 42)
    let dx = MaxPool.backward(r, argmax: arg, inputShape: x.shape)
    #expect(
      GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(MaxPool.forward($0).y, r) }, at: x, eps: 1e-3) <= 1)
  }

  @Test func softmaxSumsToOneAndGradients() {
    let x = Tensor.random([2, 4, 2, 3], seed: 50), r = Tensor.random(x.shape, seed: 51)
    let p = Softmax.forward(x)
    for n in 0..<2 {
      for s in 0..<6 {
        let total = (0..<4).reduce(Float(0)) { $0 + p.data[(n * 4 + $1) * 6 + s] }
        #expect(abs(total - 1) < 1e-5)
      }
    }
    let dx = Softmax.backward(r, output: p)
    #expect(GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(Softmax.forward($0), r) }, at: x) <= 1)
  }

  @Test func globalAveragePoolGradients() {
    let x = Tensor.random([2, 3, 2, 4], seed: 60), r = Tensor.random([2, 3], seed: 61)
    let dx = GlobalAveragePool.backward(r, inputShape: x.shape)
    #expect(GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(GlobalAveragePool.forward($0), r) }, at: x) <= 1)
  }

  @Test func denseBlasMatchesNaiveAndGradients() {
    // x: (3, 5), W: (4, 5), b: (4)
    let x = Tensor.random([3, 5], seed: 70), w = Tensor.random([4, 5], seed: 71), b = Tensor.random([4], seed: 72)
    let r = Tensor.random([3, 4], seed: 73)
    #expect(
      Approx.equal(
        Dense.forward(x, weight: w, bias: b).data, Dense.forward(x, weight: w, bias: b, naive: true).data, rtol: 1e-5,
        atol: 1e-5))
    let (dx, dw, db) = Dense.backward(r, input: x, weight: w)
    let ref = Dense.backward(r, input: x, weight: w, naive: true)
    #expect(
      Approx.equal(dx.data, ref.dx.data, rtol: 1e-5, atol: 1e-5)
        && Approx.equal(dw.data, ref.dweight.data, rtol: 1e-5, atol: 1e-5))
    #expect(
      GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(Dense.forward($0, weight: w, bias: b), r) }, at: x)
        <= 1)
    #expect(
      GradientCheck.worstRatio(analytic: dw, { GradientCheck.dot(Dense.forward(x, weight: $0, bias: b), r) }, at: w)
        <= 1)
    #expect(
      GradientCheck.worstRatio(analytic: db, { GradientCheck.dot(Dense.forward(x, weight: w, bias: $0), r) }, at: b)
        <= 1)
  }

  @Test func dropoutMasksAreSeededAndScaled() {
    var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
    let m1 = Dropout.mask(count: 10_000, p: 0.3, using: &a), m2 = Dropout.mask(count: 10_000, p: 0.3, using: &b)
    #expect(Approx.equal(m1, m2, rtol: 0, atol: 0))
    let dropped = Double(m1.filter { $0 == 0 }.count) / 10_000
    #expect(abs(dropped - 0.3) < 0.03)
    #expect(m1.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
    // dropout2d zeroes whole planes: x (2, 3, 2, 2)
    var rng = SplitMix64(seed: 3)
    let cm = Dropout.channelMask(batch: 2, channels: 3, p: 0.5, using: &rng)
    let y = Dropout.applyChannels(Tensor(shape: [2, 3, 2, 2], repeating: 1), mask: cm)
    for plane in 0..<6 { for j in 0..<4 { #expect(abs(y.data[plane * 4 + j] - cm[plane]) < 1e-6) } }
  }

  @Test func concatAndSplitRoundTrip() {
    let a = Tensor.random([2, 2, 3, 3], seed: 80), b = Tensor.random([2, 3, 3, 3], seed: 81)
    let c = Concat.channels(a, b)
    #expect(c.shape == [2, 5, 3, 3])
    #expect(abs(c.data[2 * 9] - b.data[0]) < 1e-7)  // channel 2 of item 0 is b's channel 0
    #expect(abs(c.data[5 * 9] - a.data[2 * 9]) < 1e-7)  // item 1 starts with a's item 1
    let (da, db) = Concat.split(c, firstChannels: 2)
    #expect(Approx.equal(da.data, a.data, rtol: 0, atol: 1e-7) && Approx.equal(db.data, b.data, rtol: 0, atol: 1e-7))
  }
}
