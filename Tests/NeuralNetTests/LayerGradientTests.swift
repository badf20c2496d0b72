// Finite-difference checks of every layer's backward (input and parameter gradients).

import Testing
import NeuralNet
import TensorCore
import TestSupport
import Randomness

struct LayerGradientTests {
  /// Checks d(Σ f(x)·r)/dθ for every parameter of `store` and dx, with `run` doing forward (+ backward when asked).
  /// With `relative` set, compares whole sampled gradients by relative L2 error instead (deep compositions with kinks).
  func check(
    store: ParameterStore, x: Tensor, rtol: Double = 2e-2, atol: Double = 2e-3, relative: Double? = nil,
    run: (Tensor, inout ParameterStore, Tensor?) -> (y: Tensor, dx: Tensor?)
  ) {
    var s = store
    let probe = run(x, &s, nil).y
    let r = Tensor.random(probe.shape, seed: 99)
    s.zeroGradients()
    let dx = run(x, &s, r).dx!
    let lossOfX: (Tensor) -> Double = { xx in
      var t = store; return GradientCheck.dot(run(xx, &t, nil).y, r)
    }
    func ok(_ a: Tensor, _ f: (Tensor) -> Double, _ at: Tensor) -> (Bool, Double) {
      if let relative {
        let e = GradientCheck.relativeError(analytic: a, f, at: at)
        return (e <= relative, e)
      }
      let r = GradientCheck.worstRatio(analytic: a, f, at: at, rtol: rtol, atol: atol)
      return (r <= 1, r)
    }
    let (dxOK, dxErr) = ok(dx, lossOfX, x)
    #expect(dxOK, "dx: \(dxErr)")
    for name in store.names {
      if relative != nil && (name.hasSuffix("conv_conv.0.bias") || name.hasSuffix("conv_conv.4.bias")) {
        // a conv bias feeding a training-mode batch norm cancels out: its gradient is exactly zero
        #expect(s.gradients[name]!.data.allSatisfy { abs($0) < 1e-4 }, "\(name) should have zero gradient")
        continue
      }
      let lossOfP: (Tensor) -> Double = { p in
        var t = store
        t.values[name] = p
        return GradientCheck.dot(run(x, &t, nil).y, r)
      }
      let (pOK, pErr) = ok(s.gradients[name]!, lossOfP, store[name])
      #expect(pOK, "gradient of \(name): \(pErr)")
    }
  }

  @Test(arguments: [(1, 1), (2, 1), (1, 0)])
  func conv2d(stride: Int, padding: Int) {
    let layer = Conv2d(name: "c", inputChannels: 2, outputChannels: 3, stride: stride, padding: padding)
    var rng = SplitMix64(seed: 1)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    // x: (2, 2, 5, 5)
    check(store: store, x: .random([2, 2, 5, 5], seed: 2)) { x, s, r in
      let (y, cache) = layer(x, s)
      return (y, r.map { layer.backward($0, cache, &s) })
    }
  }

  @Test func convTranspose2d() {
    let layer = ConvTranspose2d(name: "u", inputChannels: 3, outputChannels: 2)
    var rng = SplitMix64(seed: 3)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    // x: (2, 3, 3, 3) → (2, 2, 6, 6)
    check(store: store, x: .random([2, 3, 3, 3], seed: 4)) { x, s, r in
      let (y, cache) = layer(x, s)
      return (y, r.map { layer.backward($0, cache, &s) })
    }
  }

  @Test func batchNorm2dTraining() {
    let layer = BatchNorm2d(name: "bn", channels: 2)
    var store = ParameterStore()
    layer.register(in: &store)
    store.values["bn.weight"] = Tensor(shape: [2], data: [1.5, -0.5])
    store.values["bn.bias"] = Tensor(shape: [2], data: [0.2, 0.1])
    // x: (3, 2, 2, 3)
    check(store: store, x: .random([3, 2, 2, 3], seed: 5)) { x, s, r in
      let (y, cache) = layer(x, &s, training: true)
      return (y, r.map { layer.backward($0, cache, &s) })
    }
  }

  @Test func linear() {
    let layer = Linear(name: "fc", inputFeatures: 4, outputFeatures: 3)
    var rng = SplitMix64(seed: 6)
    var store = ParameterStore()
    layer.register(in: &store, using: &rng)
    check(store: store, x: .random([5, 4], seed: 7)) { x, s, r in
      let (y, cache) = layer(x, s)
      return (y, r.map { layer.backward($0, cache, &s) })
    }
  }

  @Test func dropoutAndDropout2dWithFixedMasks() {
    // the same seed gives the same mask in every call, so the function is fixed for the difference quotient
    let drop = DropoutLayer(p: 0.4), drop2 = Dropout2d(p: 0.5)
    check(store: ParameterStore(), x: .random([2, 3, 2, 2], seed: 8)) { x, _, r in
      var rng = SplitMix64(seed: 11)
      let (y1, m1) = drop(x, training: true, using: &rng)
      let (y2, m2) = drop2(y1, training: true, using: &rng)
      return (y2, r.map { drop.backward(drop2.backward($0, m2), m1) })
    }
    var rng = SplitMix64(seed: 1)
    let x = Tensor.random([2, 3, 2, 2], seed: 9)
    #expect(Approx.equal(drop(x, training: false, using: &rng).0.data, x.data, rtol: 0, atol: 0))  // identity in evaluation
  }

  @Test func convBlockAndUpBlock() {
    let block = ConvBlock(name: "b", inputChannels: 2, outputChannels: 3, dropout: 0)
    var rng = SplitMix64(seed: 12)
    var store = ParameterStore()
    block.register(in: &store, using: &rng)
    check(store: store, x: .random([2, 2, 4, 4], seed: 13), relative: 2e-2) { x, s, r in
      var g = SplitMix64(seed: 0)
      let (y, cache) = block(x, &s, training: true, using: &g)
      return (y, r.map { block.backward($0, cache, &s) })
    }
    let up = UpBlock(name: "u", deepChannels: 4, skipChannels: 2, outputChannels: 2)
    var upStore = ParameterStore()
    up.register(in: &upStore, using: &rng)
    let skip = Tensor.random([2, 2, 4, 4], seed: 14)
    check(store: upStore, x: .random([2, 4, 2, 2], seed: 15), relative: 2e-2) { x, s, r in
      var g = SplitMix64(seed: 0)
      let (y, cache) = up(x, skip: skip, &s, training: true, using: &g)
      return (y, r.map { up.backward($0, cache, &s).deep })
    }
  }
}
