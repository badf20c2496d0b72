// Finite-difference checks of every new op and loss: sigmoid, BCE on logits, MSE, the Gaussian KL
// term, reparameterisation, CoreGCN's loss, the graph convolution and the padded transposed conv.

import Randomness
import TensorCore
import Testing
import NeuralNet
import TestSupport
@testable import LearnedSelection

@Suite struct OpsGradientTests {
  @Test func sigmoidForwardAndBackward() {
    let x = Tensor.random([3, 5], seed: 1, scale: 2)
    let y = Sigmoid.forward(x)
    #expect(abs(Sigmoid.value(Float(0)) - 0.5) < 1e-7)
    #expect(abs(Sigmoid.value(Float(-100))) < 1e-30 && abs(Sigmoid.value(Float(100)) - 1) < 1e-7)
    let r = Tensor.random([3, 5], seed: 2)
    let dx = Sigmoid.backward(r, output: y)
    let ratio = GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(Sigmoid.forward($0), r) }, at: x, eps: 1e-2)
    #expect(ratio <= 1)
  }

  @Test(arguments: [Float(0), 1, 0.3])
  func binaryCrossEntropyGradient(target: Float) {
    let logits = Tensor.random([6, 1], seed: 3, scale: 2)
    let (loss, grad) = BinaryCrossEntropy.withLogits(logits, target: target)
    // reference: mean of −[t·log σ(l) + (1−t)·log(1−σ(l))]
    var reference = 0.0
    for l in logits.data {
      let s = Sigmoid.value(Double(l))
      reference -= Double(target) * _log(s) + Double(1 - target) * _log(1 - s)
    }
    #expect(abs(loss - reference / 6) < 1e-6)
    let ratio = GradientCheck.worstRatio(
      analytic: grad, { BinaryCrossEntropy.withLogits($0, target: target).loss },
      at: logits, eps: 1e-2)
    #expect(ratio <= 1)
  }

  @Test func meanSquaredErrorGradient() {
    let p = Tensor.random([2, 1, 3, 3], seed: 4), t = Tensor.random([2, 1, 3, 3], seed: 5)
    let (loss, grad) = MeanSquaredError.loss(p, t)
    let reference = zip(p.data, t.data).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / 18
    #expect(abs(loss - reference) < 1e-6)
    #expect(GradientCheck.worstRatio(analytic: grad, { MeanSquaredError.loss($0, t).loss }, at: p, eps: 1e-2) <= 1)
  }

  @Test func gaussianKLDivergenceGradients() {
    let mu = Tensor.random([3, 4], seed: 6), logvar = Tensor.random([3, 4], seed: 7, scale: 0.5)
    let (loss, dMu, dLogvar) = GaussianKLDivergence.sum(mu: mu, logvar: logvar)
    // KL(N(0, 1) ‖ N(0, 1)) = 0
    #expect(abs(GaussianKLDivergence.sum(mu: Tensor(shape: [2, 2]), logvar: Tensor(shape: [2, 2])).loss) < 1e-12)
    #expect(loss > 0)
    #expect(
      GradientCheck.worstRatio(analytic: dMu, { GaussianKLDivergence.sum(mu: $0, logvar: logvar).loss }, at: mu) <= 1)
    #expect(
      GradientCheck.worstRatio(
        analytic: dLogvar, { GaussianKLDivergence.sum(mu: mu, logvar: $0).loss },
        at: logvar) <= 1)
  }

  @Test func reparameterizationGradients() {
    var rng = SplitMix64(seed: 8)
    let mu = Tensor.random([2, 3], seed: 9), logvar = Tensor.random([2, 3], seed: 10, scale: 0.5)
    let noise = Reparameterization.noise([2, 3], using: &rng)
    let z = Reparameterization.forward(mu: mu, logvar: logvar, noise: noise)
    #expect(abs(z.data[0] - (mu.data[0] + noise.data[0] * _expf(0.5 * logvar.data[0]))) < 1e-6)
    let r = Tensor.random([2, 3], seed: 11)
    let (dMu, dLogvar) = Reparameterization.backward(r, logvar: logvar, noise: noise)
    #expect(
      GradientCheck.worstRatio(
        analytic: dMu,
        {
          GradientCheck.dot(Reparameterization.forward(mu: $0, logvar: logvar, noise: noise), r)
        }, at: mu) <= 1)
    #expect(
      GradientCheck.worstRatio(
        analytic: dLogvar,
        {
          GradientCheck.dot(Reparameterization.forward(mu: mu, logvar: $0, noise: noise), r)
        }, at: logvar) <= 1)
  }

  @Test func normalNoiseHasUnitMoments() {
    var rng = SplitMix64(seed: 12)
    let values = Tensor.normal([20_000], std: 1, using: &rng).data
    let mean = values.reduce(0.0) { $0 + Double($1) } / 20_000
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 20_000
    #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
  }

  @Test func coreGCNLossGradient() {
    let scores = Tensor(shape: [5, 1], data: [0.9, 0.2, 0.5, 0.7, 0.35])
    let (_, grad) = CoreGCNLoss.loss(scores: scores, labeled: [0, 3], unlabeled: [1, 2, 4], lambda: 1.2)
    let ratio = GradientCheck.worstRatio(
      analytic: grad,
      {
        CoreGCNLoss.loss(scores: $0, labeled: [0, 3], unlabeled: [1, 2, 4], lambda: 1.2).loss
      }, at: scores, eps: 1e-3)
    #expect(ratio <= 1)
  }

  @Test func graphConvolutionGradients() {
    var rng = SplitMix64(seed: 13)
    let layer = GraphConvolution(name: "gc", inputFeatures: 4, outputFeatures: 3)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    let x = Tensor.random([5, 4], seed: 14), adjacency = Tensor.random([5, 5], seed: 15, scale: 0.5)
    let r = Tensor.random([5, 3], seed: 16)
    let (y, cache) = layer(x, adjacency: adjacency, store)
    // hand forward: Â·(X·W) + b
    var reference = [Float](repeating: 0, count: 15)
    let w = store["gc.weight"].data, b = store["gc.bias"].data
    for i in 0..<5 {
      for o in 0..<3 {
        var s = Double(b[o])
        for k in 0..<5 {
          for f in 0..<4 { s += Double(adjacency.data[i * 5 + k]) * Double(x.data[k * 4 + f]) * Double(w[f * 3 + o]) }
        }
        reference[i * 3 + o] = Float(s)
      }
    }
    #expect(Approx.equal(y.data, reference, rtol: 1e-4, atol: 1e-5))
    let dx = layer.backward(r, cache, adjacency: adjacency, &store)!
    #expect(
      GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(layer($0, adjacency: adjacency, store).0, r) }, at: x)
        <= 1)
    for name in ["gc.weight", "gc.bias"] {
      let ratio = GradientCheck.worstRatio(
        analytic: store.gradients[name]!,
        { value in
          var s = store
          s.load(name, value)
          return GradientCheck.dot(layer(x, adjacency: adjacency, s).0, r)
        }, at: store[name])
      #expect(ratio <= 1, "\(name)")
    }
  }

  @Test func aggregatedGraphConvolutionEqualsThePlainLayer() {
    var rng = SplitMix64(seed: 21)
    let layer = GraphConvolution(name: "gc", inputFeatures: 4, outputFeatures: 3)
    var plain = ParameterStore()
    layer.register(in: &plain, using: &rng)
    var aggregated = plain
    let x = Tensor.random([5, 4], seed: 22), adjacency = Tensor.random([5, 5], seed: 23, scale: 0.5)
    let r = Tensor.random([5, 3], seed: 24)
    let ax = GCNScorer.aggregate(x, adjacency: adjacency)
    let (y, cache) = layer(x, adjacency: adjacency, plain)
    #expect(Approx.equal(layer.forward(aggregated: ax, aggregated).data, y.data, rtol: 1e-5, atol: 1e-6))
    _ = layer.backward(r, cache, adjacency: adjacency, &plain, inputGradient: false)
    layer.backward(r, aggregated: ax, &aggregated)
    for name in ["gc.weight", "gc.bias"] {
      #expect(
        Approx.equal(aggregated.gradients[name]!.data, plain.gradients[name]!.data, rtol: 1e-5, atol: 1e-6), "\(name)")
    }
  }

  @Test func paddedTransposedConvolutionMatchesReferenceAndGradients() {
    var rng = SplitMix64(seed: 17)
    let layer = ConvTranspose2d(name: "up", inputChannels: 2, outputChannels: 3, kernelSize: 4, stride: 2, padding: 1)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    let x = Tensor.random([2, 2, 3, 3], seed: 18)  // → (2, 3, 6, 6)
    let (y, cache) = layer(x, store)
    #expect(y.shape == [2, 3, 6, 6])
    let naive = Convolution.forwardNaive(
      x, weight: store["up.weight"], bias: store["up.bias"], geometry: cache.geometry)
    #expect(Approx.equal(y.data, naive.data, rtol: 1e-4, atol: 1e-5))
    let r = Tensor.random(y.shape, seed: 19)
    let dx = layer.backward(r, cache, &store)
    #expect(GradientCheck.worstRatio(analytic: dx, { GradientCheck.dot(layer($0, store).0, r) }, at: x) <= 1)
    let ratio = GradientCheck.worstRatio(
      analytic: store.gradients["up.weight"]!,
      { value in
        var s = store
        s.load("up.weight", value)
        return GradientCheck.dot(layer(x, s).0, r)
      }, at: store["up.weight"])
    #expect(ratio <= 1)
  }

  @Test func kaimingNormalHasFanInStd() {
    var rng = SplitMix64(seed: 20)
    let layer = Linear(name: "fc", inputFeatures: 50, outputFeatures: 400)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    KaimingNormal.apply("fc", in: &store, using: &rng)
    let w = store["fc.weight"].data
    let variance = w.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(w.count)
    #expect(abs(variance - 2.0 / 50) < 0.004)
    #expect(store["fc.bias"].data.allSatisfy { $0.isZero })
  }
}
