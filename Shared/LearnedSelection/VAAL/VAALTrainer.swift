// VAAL training (spec §5.9; al-seg `variational_adversarial.py::train_adv_model`): per iteration,
// VAE steps on labeled + unlabeled batches (MSE + KLD + adversarial BCE), then discriminator steps.

import ActiveLearning
import NeuralNet
import Randomness
import TensorCore

/// Trains a `VAALModel` on pool rows.
public enum VAALTrainer {
  /// Trains on `labeledRows` and `unlabeledRows` of `pixels` (square slices of `side`), both non-empty.
  ///
  /// Randomness: four independent streams are drawn from `rng` (init, labeled batches, unlabeled
  /// batches, reparameterisation noise), so a seed fixes the result.
  public static func train(
    pixels: FeatureMatrix, side: Int, labeledRows: [Int], unlabeledRows: [Int],
    configuration c: VAALConfiguration, using rng: inout some RandomNumberGenerator
  ) -> VAALModel {
    precondition(!labeledRows.isEmpty && !unlabeledRows.isEmpty, "VAALTrainer needs labeled and unlabeled rows")
    var initRng = SplitMix64(seed: rng.next()), labeledRng = SplitMix64(seed: rng.next())
    var unlabeledRng = SplitMix64(seed: rng.next()), noiseRng = SplitMix64(seed: rng.next())
    let vae = VAALAutoencoder(channels: c.channels, latentDimensions: c.latentDimensions, side: side)
    let disc = VAALDiscriminator(latentDimensions: c.latentDimensions, width: c.discriminatorWidth)
    var vaeStore = ParameterStore(), discStore = ParameterStore()
    vae.register(in: &vaeStore, using: &initRng)
    disc.register(in: &discStore, using: &initRng)
    var model = VAALModel(
      autoencoder: vae, discriminator: disc, autoencoderStore: vaeStore, discriminatorStore: discStore)
    var vaeAdam = Adam(learningRate: c.learningRate), discAdam = Adam(learningRate: c.learningRate)
    var labeled = BatchCycler(rows: labeledRows, batchSize: c.batchSize)
    var unlabeled = BatchCycler(rows: unlabeledRows, batchSize: c.batchSize)
    let iterations = c.trainingIterations(poolSize: pixels.rows)
    for _ in 0..<iterations {
      var xl = VAALModel.images(pixels, rows: labeled.next(using: &labeledRng), side: side)
      var xu = VAALModel.images(pixels, rows: unlabeled.next(using: &unlabeledRng), side: side)
      var vaeLoss = 0.0
      for step in 0..<c.vaeStepsPerIteration {
        model.autoencoderStore.zeroGradients()
        let noiseL = Reparameterization.noise([xl.shape[0], c.latentDimensions], using: &noiseRng)
        let noiseU = Reparameterization.noise([xu.shape[0], c.latentDimensions], using: &noiseRng)
        vaeLoss = vaeStep(xl, noise: noiseL, &model, c) + vaeStep(xu, noise: noiseU, &model, c)
        vaeAdam.update(&model.autoencoderStore)
        if step < c.vaeStepsPerIteration - 1 {
          xl = VAALModel.images(pixels, rows: labeled.next(using: &labeledRng), side: side)
          xu = VAALModel.images(pixels, rows: unlabeled.next(using: &unlabeledRng), side: side)
        }
      }
      var discLoss = 0.0
      for step in 0..<c.discriminatorStepsPerIteration {
        model.discriminatorStore.zeroGradients()
        discLoss = discriminatorStep(xl, xu, &model, c)
        discAdam.update(&model.discriminatorStore)
        if step < c.discriminatorStepsPerIteration - 1 {
          xl = VAALModel.images(pixels, rows: labeled.next(using: &labeledRng), side: side)
          xu = VAALModel.images(pixels, rows: unlabeled.next(using: &unlabeledRng), side: side)
        }
      }
      model.vaeLosses.append(vaeLoss)
      model.discriminatorLosses.append(discLoss)
    }
    return model
  }

  /// One batch's share of a VAE step with reparameterisation noise ε: (N, latent): forward, loss,
  /// backward into the VAE gradients (the discriminator gradients it also produces are cleared
  /// before the discriminator step). Returns `MSE + klWeight·KLD + adversaryWeight·BCE(D(μ), 1)`.
  static func vaeStep(_ x: Tensor, noise: Tensor, _ model: inout VAALModel, _ c: VAALConfiguration) -> Double {
    let vae = model.autoencoder, disc = model.discriminator
    let (mu, logvar, encoderCache) = vae.encode(x, &model.autoencoderStore, training: true)
    let z = Reparameterization.forward(mu: mu, logvar: logvar, noise: noise)
    let (recon, decoderCache) = vae.decode(z, &model.autoencoderStore, training: true)
    let own = VAALLosses.vae(reconstruction: recon, input: x, mu: mu, logvar: logvar, klWeight: c.klWeight)
    let (logits, discCache) = disc(mu, model.discriminatorStore)
    var adversarial = VAALLosses.adversarial(logits)
    for i in 0..<adversarial.dLogits.count { adversarial.dLogits.data[i] *= c.adversaryWeight }
    let dz = vae.decoderBackward(own.dReconstruction, decoderCache, &model.autoencoderStore)
    let (dMuNoise, dLogvarNoise) = Reparameterization.backward(dz, logvar: logvar, noise: noise)
    var dMu = disc.backward(adversarial.dLogits, discCache, &model.discriminatorStore)
    dMu.add(dMuNoise)
    dMu.add(own.dMu)
    var dLogvar = dLogvarNoise
    dLogvar.add(own.dLogvar)
    vae.encoderBackward(dMu: dMu, dLogvar: dLogvar, encoderCache, &model.autoencoderStore)
    return own.loss + Double(c.adversaryWeight) * adversarial.loss
  }

  /// One discriminator step's loss and gradients; μ comes from the training-mode encoder (its batch
  /// statistics move, as under PyTorch's `no_grad` in train mode) and gets no gradient. The decoder
  /// is skipped: upstream runs it too, but only its never-used running statistics would change.
  static func discriminatorStep(_ xl: Tensor, _ xu: Tensor, _ model: inout VAALModel, _ c: VAALConfiguration) -> Double
  {
    let vae = model.autoencoder, disc = model.discriminator
    let muL = vae.encode(xl, &model.autoencoderStore, training: true).mu
    let muU = vae.encode(xu, &model.autoencoderStore, training: true).mu
    let (logitsL, cacheL) = disc(muL, model.discriminatorStore)
    let (logitsU, cacheU) = disc(muU, model.discriminatorStore)
    let loss = VAALLosses.discriminator(
      labeledLogits: logitsL, unlabeledLogits: logitsU,
      unlabeledTarget: c.discriminatorUnlabeledTarget.unlabeledTarget)
    _ = disc.backward(loss.dLabeled, cacheL, &model.discriminatorStore)
    _ = disc.backward(loss.dUnlabeled, cacheU, &model.discriminatorStore)
    return loss.loss
  }
}
