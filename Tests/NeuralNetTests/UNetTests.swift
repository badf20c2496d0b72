// UNet / UNet_CCT structure (parameter counts and names of the method spec §2.1), seeded init, dropout,
// and a finite-difference check through the whole tiny network.

import Testing
import NeuralNet
import TensorCore
import TestSupport
import Randomness

struct UNetTests {
  @Test func parameterCountsMatchTheSpec() {
    var rng = SplitMix64(seed: 0)
    let unet = UNet(config: .wsl4mis).makeParameters(using: &rng)
    #expect(unet.parameterCount == 1_944_324)
    let cct = UNetCCT(config: .wsl4mis).makeParameters(using: &rng)
    #expect(cct.parameterCount == 2_708_184)
    let twoClass = UNet(config: UNetConfig(classes: 2)).makeParameters(using: &rng)
    #expect(twoClass.parameterCount == 1_944_034)
    // PyTorch state_dict names
    for name in [
      "encoder.in_conv.conv_conv.0.weight", "encoder.in_conv.conv_conv.1.bias",
      "encoder.down4.maxpool_conv.1.conv_conv.5.weight", "decoder.up1.up.weight",
      "decoder.up4.conv.conv_conv.4.bias", "decoder.out_conv.weight"
    ] {
      #expect(unet.values[name] != nil, "\(name)")
    }
    #expect(unet.buffers["encoder.in_conv.conv_conv.1.running_var"] != nil)
    #expect(unet["decoder.up1.up.weight"].shape == [256, 128, 2, 2])
    #expect(unet["decoder.out_conv.weight"].shape == [4, 16, 3, 3])
    #expect(cct.values["aux_decoder1.up2.conv.conv_conv.0.weight"]?.shape == [64, 128, 3, 3])
  }

  @Test func initIsSeededAndWithinPyTorchBounds() {
    let net = UNet(config: UNetConfig(channels: [2, 4], dropout: [0, 0]))
    var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5), c = SplitMix64(seed: 6)
    let s1 = net.makeParameters(using: &a), s2 = net.makeParameters(using: &b), s3 = net.makeParameters(using: &c)
    let w = "encoder.down1.maxpool_conv.1.conv_conv.0.weight"  // fan-in 2·3·3 = 18
    #expect(Approx.equal(s1[w].data, s2[w].data, rtol: 0, atol: 0))
    #expect(!Approx.equal(s1[w].data, s3[w].data))
    #expect(s1[w].data.allSatisfy { abs($0) <= 1 / Float(18).squareRoot() })
    let up = "decoder.up1.up.weight"  // (4, 2, 2, 2): fan-in 2·2·2 = 8
    #expect(s1[up].data.allSatisfy { abs($0) <= 1 / Float(8).squareRoot() })
    #expect(s1["encoder.in_conv.conv_conv.1.weight"].data.allSatisfy { abs($0 - 1) < 1e-7 })
  }

  @Test func dropoutIsSeededAndOffInEvaluation() {
    let net = UNet(config: UNetConfig(channels: [2, 4], dropout: [0.5, 0.5]))
    var rng = SplitMix64(seed: 1)
    var store = net.makeParameters(using: &rng)
    let x = Tensor.random([2, 1, 4, 4], seed: 2)
    var r1 = SplitMix64(seed: 9), r2 = SplitMix64(seed: 9), r3 = SplitMix64(seed: 10)
    let a = net.forward(x, &store, training: true, using: &r1).0
    let b = net.forward(x, &store, training: true, using: &r2).0
    let c = net.forward(x, &store, training: true, using: &r3).0
    #expect(Approx.equal(a.data, b.data, rtol: 1e-6, atol: 1e-6))
    #expect(!Approx.equal(a.data, c.data, rtol: 1e-3, atol: 1e-3))
    let e1 = net.forward(x, &store, training: false, using: &r1).0
    let e2 = net.forward(x, &store, training: false, using: &r3).0
    #expect(Approx.equal(e1.data, e2.data, rtol: 1e-6, atol: 1e-6))
  }

  @Test func wholeNetworkGradientMatchesFiniteDifferences() {
    // 2-level UNet, x: (2, 1, 4, 4), scalar Σ logits ⊙ r (the losses have their own checks); sampled parameters
    // of every kind (conv biases that feed a batch norm have zero gradient and are left out)
    let net = UNet(config: UNetConfig(inputChannels: 1, classes: 3, channels: [2, 3], dropout: [0, 0]))
    var rng = SplitMix64(seed: 3)
    let store0 = net.makeParameters(using: &rng)
    let x = Tensor.random([2, 1, 4, 4], seed: 4), r = Tensor.random([2, 3, 4, 4], seed: 5)
    func objective(_ s: ParameterStore, _ input: Tensor) -> Double {
      var t = s, g = SplitMix64(seed: 0)
      return GradientCheck.dot(net.forward(input, &t, training: true, using: &g).0, r)
    }
    var store = store0, g = SplitMix64(seed: 0)
    let (_, cache) = net.forward(x, &store, training: true, using: &g)
    let dx = net.backward(r, cache, &store)
    let dxError = GradientCheck.relativeError(analytic: dx, { objective(store0, $0) }, at: x)
    #expect(dxError <= 2e-2, "dx: \(dxError)")
    for name in [
      "encoder.in_conv.conv_conv.0.weight", "encoder.down1.maxpool_conv.1.conv_conv.5.bias",
      "encoder.down1.maxpool_conv.1.conv_conv.1.weight", "decoder.up1.up.weight",
      "decoder.up1.conv.conv_conv.0.weight", "decoder.out_conv.bias"
    ] {
      let error = GradientCheck.relativeError(
        analytic: store.gradients[name]!,
        { p in
          var t = store0
          t.values[name] = p
          return objective(t, x)
        }, at: store0[name], maxChecks: 12)
      #expect(error <= 5e-2, "\(name): relative error \(error)")
    }
  }

  @Test func cctAuxiliaryFeatureDropoutIsDifferentiable() {
    // both heads with a seeded channel-dropout mask (the same in every evaluation), Σ main ⊙ r1 + Σ aux ⊙ r2
    let config = UNetConfig(inputChannels: 1, classes: 2, channels: [2, 3], dropout: [0, 0], auxFeatureDropout: 0.5)
    let net = UNetCCT(config: config)
    var rng = SplitMix64(seed: 7)
    let store0 = net.makeParameters(using: &rng)
    let x = Tensor.random([2, 1, 4, 4], seed: 8)
    let r1 = Tensor.random([2, 2, 4, 4], seed: 9), r2 = Tensor.random([2, 2, 4, 4], seed: 10)
    func objective(_ s: ParameterStore, _ input: Tensor) -> Double {
      var t = s, g = SplitMix64(seed: 42)
      let (m, a, _) = net.forward(input, &t, training: true, using: &g)
      return GradientCheck.dot(m, r1) + GradientCheck.dot(a, r2)
    }
    var store = store0, g = SplitMix64(seed: 42)
    let (_, _, cache) = net.forward(x, &store, training: true, using: &g)
    #expect(cache.hasDroppedChannels)
    let dx = net.backward(main: r1, aux: r2, cache, &store)
    let dxError = GradientCheck.relativeError(analytic: dx, { objective(store0, $0) }, at: x)
    #expect(dxError <= 2e-2, "dx: \(dxError)")
    for name in ["encoder.in_conv.conv_conv.0.weight", "aux_decoder1.up1.up.weight", "main_decoder.out_conv.weight"] {
      let error = GradientCheck.relativeError(
        analytic: store.gradients[name]!,
        { p in
          var t = store0
          t.values[name] = p
          return objective(t, x)
        }, at: store0[name], maxChecks: 12)
      #expect(error <= 5e-2, "\(name): relative error \(error)")
    }
  }
}
