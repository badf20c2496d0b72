// A tiny UNet (channels 2-4-8, 16×16, batch 2, dropout off) and UNet_CCT against PyTorch: logits, loss, every
// parameter gradient, running statistics, a 20-step SGD loss curve with poly LR, and eval logits afterwards.

import Testing
import NeuralNet
import TensorCore
import TestSupport
import Randomness

struct UNetFixtureTests {
  static func tinyConfig(_ c: NetConfig) -> UNetConfig {
    UNetConfig(
      inputChannels: c.input_channels, classes: c.classes, channels: c.channels,
      dropout: [Float](repeating: 0, count: c.channels.count), auxFeatureDropout: 0)
  }

  @Test func forwardLossAndEveryGradientMatchPyTorch() throws {
    let f: UNetFixture = try Fixture.load("unet.json")
    let net = UNet(config: Self.tinyConfig(f.config))
    var rng = SplitMix64(seed: 1)
    var store = net.makeParameters(using: &rng)
    // same names as PyTorch's state_dict (float entries), nothing more, nothing less
    #expect(Set(store.names + store.bufferNames) == Set(f.state.keys))
    #expect(store.parameterCount == f.parameter_count)
    store.load(f.state)
    let labels = Fixture.labels(f.labels, f.labels_shape)
    let (logits, cache) = net.forward(f.x.tensor, &store, training: true, using: &rng)
    #expect(Approx.worstRatio(logits.data, f.logits.data, rtol: 1e-4, atol: 1e-5) <= 1)
    let loss = DiceCELoss.compute(logits, labels)
    #expect(abs(loss.loss - f.loss) <= 1e-5 + 1e-4 * abs(f.loss))
    net.backward(loss.gradient, cache, &store)
    for (name, g) in f.grads {
      let ratio = Approx.worstRatio(store.gradients[name]!.data, g.data, rtol: 1e-3, atol: 1e-5)
      #expect(ratio <= 1, "gradient of \(name): worst ratio \(ratio)")
    }
    for (name, v) in f.running_after_forward {
      #expect(Approx.worstRatio(store.buffers[name]!.data, v.data, rtol: 1e-4, atol: 1e-6) <= 1, "\(name)")
    }
  }

  @Test func twentySGDStepsFollowPyTorchsLossCurve() throws {
    let f: UNetFixture = try Fixture.load("unet.json")
    let net = UNet(config: Self.tinyConfig(f.config))
    var rng = SplitMix64(seed: 1)
    var store = net.makeParameters(using: &rng)
    store.load(f.state)
    let labels = Fixture.labels(f.labels, f.labels_shape)
    var sgd = SGD(learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4)
    let schedule = PolyLR(baseLearningRate: 0.01, maxIterations: f.sgd_losses.count)
    var curve: [Float] = []
    // the fixture script ran one training forward (for the gradient fixture) before its SGD loop,
    // which moved the batch-norm running statistics once; do the same
    _ = net.forward(f.x.tensor, &store, training: true, using: &rng)
    for it in 0..<f.sgd_losses.count {
      store.zeroGradients()
      let (logits, cache) = net.forward(f.x.tensor, &store, training: true, using: &rng)
      let loss = DiceCELoss.compute(logits, labels)
      net.backward(loss.gradient, cache, &store)
      sgd.step(&store)
      curve.append(loss.loss)
      sgd.learningRate = schedule.learningRate(at: it)
    }
    #expect(curve.last! < curve.first!)
    for (a, b) in zip(curve, f.sgd_losses) { #expect(abs(a - b) <= 1e-3, "loss \(a) vs PyTorch \(b)") }
    let (evalLogits, _) = net.forward(f.x.tensor, &store, training: false, using: &rng)
    #expect(Approx.worstRatio(evalLogits.data, f.eval_logits_after_sgd.data, rtol: 1e-3, atol: 1e-4) <= 1)
    let p = net.probabilities(f.x.tensor, &store)
    let expected = Softmax.forward(f.eval_logits_after_sgd.tensor)
    #expect(Approx.worstRatio(p.data, expected.data, rtol: 1e-3, atol: 1e-5) <= 1)
  }

  @Test func cctWithDMPLSMatchesPyTorch() throws {
    let f: UNetCCTFixture = try Fixture.load("unet_cct.json")
    let net = UNetCCT(config: Self.tinyConfig(f.config))
    var rng = SplitMix64(seed: 2)
    var store = net.makeParameters(using: &rng)
    #expect(Set(store.names + store.bufferNames) == Set(f.state.keys))
    store.load(f.state)
    let (main, aux, cache) = net.forward(f.x.tensor, &store, training: true, using: &rng)
    #expect(Approx.worstRatio(main.data, f.main.data, rtol: 1e-4, atol: 1e-5) <= 1)
    #expect(Approx.worstRatio(aux.data, f.aux.data, rtol: 1e-4, atol: 1e-5) <= 1)
    let r = DMPLSLoss.compute(main: main, aux: aux, scribble: Fixture.labels(f.labels, f.labels_shape), beta: f.beta)
    #expect(abs(r.loss - f.loss) <= 1e-5 + 1e-4 * abs(f.loss))
    net.backward(main: r.gradientMain, aux: r.gradientAux, cache, &store)
    for (name, g) in f.grads {
      let ratio = Approx.worstRatio(store.gradients[name]!.data, g.data, rtol: 1e-3, atol: 1e-5)
      #expect(ratio <= 1, "gradient of \(name): worst ratio \(ratio)")
    }
  }
}
