// The ResNet encoder and projection head against a PyTorch twin: train-mode feature and projection, every
// parameter gradient (with and without dx), dx, BN running statistics, and the eval-mode feature; both stems.

import MetricLearning
import Randomness
import NeuralNet
import TensorCore
import TestSupport
import Testing

@Suite struct EncoderFixtureTests {
  static let fixtures: EncoderFixtures = try! Fixture.load("encoder.json")

  static func config(_ stem: String) -> EncoderConfig {
    EncoderConfig(
      stem: stem == "imagenet" ? .imagenet : .small, baseChannels: 4, blocksPerStage: [1, 1],
      projectionDimension: 8)
  }

  @Test(arguments: ["small", "imagenet"])
  func matchesPyTorch(_ stem: String) throws {
    let fx = stem == "small" ? Self.fixtures.small : Self.fixtures.imagenet
    let net = ContrastiveNet(config: Self.config(stem))
    var rng = SplitMix64(seed: 1)
    var store = net.makeParameters(using: &rng)
    #expect(Set(store.names + store.bufferNames) == Set(fx.state.keys), "names differ from PyTorch's state_dict")
    for (k, v) in fx.state { store.load(k, v.tensor) }

    let (feature, z, cache) = net.project(fx.x.tensor, &store)
    #expect(Approx.worstRatio(feature.data, fx.feature.data, rtol: 1e-4, atol: 1e-5) <= 1)
    #expect(Approx.worstRatio(z.data, fx.z.data, rtol: 1e-4, atol: 1e-5) <= 1)
    let dx = net.backward(fx.r.tensor, cache, &store)
    #expect(Approx.worstRatio(dx.data, fx.dx.data, rtol: 1e-3, atol: 1e-5) <= 1)
    for (k, g) in fx.grads {
      let ratio = Approx.worstRatio(store.gradients[k]!.data, g.data, rtol: 1e-3, atol: 1e-5)
      #expect(ratio <= 1, "gradient of \(k): worst ratio \(ratio)")
    }
    // the training path (every gradient, no dx) accumulates the same gradients
    var again = store
    again.zeroGradients()
    let (_, _, cacheAgain) = net.project(fx.x.tensor, &again)
    net.accumulateGradients(fx.r.tensor, cacheAgain, &again)
    for (k, g) in fx.grads {
      #expect(Approx.worstRatio(again.gradients[k]!.data, g.data, rtol: 1e-3, atol: 1e-5) <= 1, "\(k) without dx")
    }
    for (k, v) in fx.running {
      #expect(Approx.worstRatio(store.buffers[k]!.data, v.data, rtol: 1e-4, atol: 1e-6) <= 1, "\(k)")
    }
    let eval = net.embed(fx.x.tensor, store)
    #expect(Approx.worstRatio(eval.data, fx.eval_feature.data, rtol: 1e-4, atol: 1e-5) <= 1)
  }

  @Test func paperEncoderHasResNet18Size() {
    // torchvision resnet18 minus fc, with a 1-channel conv1: 11,170,240 parameters (spec: ≈11.17 M)
    let net = ContrastiveNet(config: .paper)
    var rng = SplitMix64(seed: 0)
    var encoderOnly = ParameterStore()
    net.encoder.register(in: &encoderOnly, using: &rng)
    #expect(encoderOnly.parameterCount == 11_170_240)
    #expect(EncoderConfig.paper.featureDimension == 512)
  }

  @Test func loadMatchingSkipsWrongShapes() {
    let net = ContrastiveNet(config: .tiny)
    var a = SplitMix64(seed: 1), b = SplitMix64(seed: 2)
    var target = net.makeParameters(using: &a)
    var source = net.makeParameters(using: &b)
    // an ImageNet-style 3-channel conv1 cannot load into the 1-channel stem
    var pretrained = ParameterStore()
    pretrained.register("encoder.conv1.weight", Tensor(shape: [4, 3, 3, 3]))
    for n in source.names where n != "encoder.conv1.weight" { pretrained.register(n, source[n]) }
    source.zeroGradients()
    let before = target["encoder.conv1.weight"]
    let (loaded, skipped) = ContrastiveNet.loadMatching(pretrained, into: &target)
    #expect(skipped == ["encoder.conv1.weight"])
    #expect(loaded.count == source.names.count - 1)
    #expect(target["encoder.conv1.weight"] == before)
    #expect(target["encoder.layer2.0.conv1.weight"] == source["encoder.layer2.0.conv1.weight"])
  }
}
