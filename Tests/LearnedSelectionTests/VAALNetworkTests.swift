// Gradient checks of the whole VAAL VAE step (reconstruction + KL + adversarial through the
// discriminator) and the discriminator step, parameter by parameter, on a tiny network.

import NeuralNet
import Randomness
import TensorCore
import Testing
import TestSupport
@testable import LearnedSelection

@Suite struct VAALNetworkTests {
  /// Two levels (4, 8 channels) on 8×8 inputs, latent 3, discriminator width 6.
  static let configuration = VAALConfiguration(
    channels: [4, 8], latentDimensions: 3, discriminatorWidth: 6, adversaryWeight: 0.7,
    klWeight: 0.5)

  /// One freshly initialised model, copied by every check.
  static let initial = makeModel()

  static func model() -> VAALModel { initial }

  static func makeModel() -> VAALModel {
    var rng = SplitMix64(seed: 30)
    let c = configuration
    let vae = VAALAutoencoder(channels: c.channels, latentDimensions: c.latentDimensions, side: 8)
    let disc = VAALDiscriminator(latentDimensions: c.latentDimensions, width: c.discriminatorWidth)
    var vaeStore = ParameterStore(), discStore = ParameterStore()
    vae.register(in: &vaeStore, using: &rng)
    disc.register(in: &discStore, using: &rng)
    return VAALModel(autoencoder: vae, discriminator: disc, autoencoderStore: vaeStore, discriminatorStore: discStore)
  }

  @Test func autoencoderShapesAndNames() {
    let model = Self.model()
    let names = model.autoencoderStore.names
    #expect(
      names.contains("encoder.0.weight") && names.contains("encoder.2.weight") && names.contains("encoder.3.weight"))
    #expect(names.contains("fc_mu.weight") && names.contains("decoder.0.weight") && names.contains("decoder.2.weight"))
    #expect(
      names.contains("decoder.3.weight") && names.contains("decoder.5.weight") && !names.contains("decoder.6.weight"))
    #expect(model.autoencoderStore["encoder.0.bias"].data.allSatisfy { $0.isZero })  // Kaiming init zeroes biases
    var store = model.autoencoderStore
    let x = Tensor.random([3, 1, 8, 8], seed: 31)
    let (mu, logvar, _) = model.autoencoder.encode(x, &store, training: true)
    #expect(mu.shape == [3, 3] && logvar.shape == [3, 3])
    let (recon, _) = model.autoencoder.decode(mu, &store, training: true)
    #expect(recon.shape == [3, 1, 8, 8])
    #expect(model.discriminator(mu, model.discriminatorStore).0.shape == [3, 1])
  }

  @Test(arguments: [
    "encoder.0.weight", "encoder.2.weight", "encoder.3.weight", "fc_mu.weight", "fc_logvar.bias",
    "decoder.0.weight", "decoder.2.weight", "decoder.3.bias", "decoder.5.weight"
  ])
  func vaeStepGradient(name: String) {
    var model = Self.model()
    let x = Tensor.random([3, 1, 8, 8], seed: 32, scale: 0.5)
    var rng = SplitMix64(seed: 33)
    let noise = Reparameterization.noise([3, 3], using: &rng)
    model.autoencoderStore.zeroGradients()
    _ = VAALTrainer.vaeStep(x, noise: noise, &model, Self.configuration)
    let analytic = model.autoencoderStore.gradients[name]!
    let error = GradientCheck.relativeError(
      analytic: analytic,
      { value in
        var m = Self.model()
        m.autoencoderStore.load(name, value)
        return VAALTrainer.vaeStep(x, noise: noise, &m, Self.configuration)
      }, at: model.autoencoderStore[name], eps: 1e-3, maxChecks: 8)
    #expect(error < 2e-2, "\(name): relative error \(error)")
  }

  @Test(arguments: ["net.0.weight", "net.2.bias", "net.4.weight"])
  func discriminatorStepGradient(name: String) {
    var model = Self.model()
    let xl = Tensor.random([2, 1, 8, 8], seed: 34), xu = Tensor.random([3, 1, 8, 8], seed: 35)
    model.discriminatorStore.zeroGradients()
    _ = VAALTrainer.discriminatorStep(xl, xu, &model, Self.configuration)
    let error = GradientCheck.relativeError(
      analytic: model.discriminatorStore.gradients[name]!,
      { value in
        var m = Self.model()
        m.discriminatorStore.load(name, value)
        return VAALTrainer.discriminatorStep(xl, xu, &m, Self.configuration)
      }, at: model.discriminatorStore[name], eps: 1e-3, maxChecks: 8)
    #expect(error < 2e-2, "\(name): relative error \(error)")
  }

  @Test func discriminatorInputGradient() {
    let model = Self.model()
    var store = model.discriminatorStore
    let mu = Tensor.random([4, 3], seed: 36), r = Tensor.random([4, 1], seed: 37)
    let (_, cache) = model.discriminator(mu, store)
    let dMu = model.discriminator.backward(r, cache, &store)
    let error = GradientCheck.relativeError(
      analytic: dMu, { GradientCheck.dot(model.discriminator($0, store).0, r) },
      at: mu, eps: 1e-3)
    #expect(error < 2e-2)
  }
}
