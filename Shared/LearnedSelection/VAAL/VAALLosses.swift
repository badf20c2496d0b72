// The two objectives of a VAAL iteration on one labeled and one unlabeled batch: the VAE's
// reconstruction + KL + adversarial loss, and the discriminator's BCE with the quirk-dependent target.

import TensorCore

/// VAAL loss terms, on discriminator logits.
public enum VAALLosses {
  /// Discriminator step: `BCE(D(μ_l), 1) + BCE(D(μ_u), unlabeledTarget)`.
  /// Returns the loss and its gradients with respect to both logit tensors (N, 1).
  public static func discriminator(labeledLogits: Tensor, unlabeledLogits: Tensor, unlabeledTarget: Float)
    -> (loss: Double, dLabeled: Tensor, dUnlabeled: Tensor)
  {
    let l = BinaryCrossEntropy.withLogits(labeledLogits, target: 1)
    let u = BinaryCrossEntropy.withLogits(unlabeledLogits, target: unlabeledTarget)
    return (l.loss + u.loss, l.dLogits, u.dLogits)
  }

  /// The adversarial term of the VAE step for one batch: `BCE(D(μ), 1)` (both sets try to look labeled).
  public static func adversarial(_ logits: Tensor) -> (loss: Double, dLogits: Tensor) {
    BinaryCrossEntropy.withLogits(logits, target: 1)
  }

  /// The VAE's own term for one batch: `MSE(recon, x) + klWeight·KLD_sum(μ, logvar)`.
  public static func vae(reconstruction: Tensor, input: Tensor, mu: Tensor, logvar: Tensor, klWeight: Float)
    -> (loss: Double, dReconstruction: Tensor, dMu: Tensor, dLogvar: Tensor)
  {
    let mse = MeanSquaredError.loss(reconstruction, input)
    var kld = GaussianKLDivergence.sum(mu: mu, logvar: logvar)
    if klWeight != 1 {
      for i in 0..<kld.dMu.count { kld.dMu.data[i] *= klWeight; kld.dLogvar.data[i] *= klWeight }
    }
    return (mse.loss + Double(klWeight) * kld.loss, mse.dPrediction, kld.dMu, kld.dLogvar)
  }
}
