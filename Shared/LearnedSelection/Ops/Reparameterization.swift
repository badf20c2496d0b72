// The VAE reparameterisation trick z = μ + ε·e^(logvar/2), ε ~ N(0, 1) drawn from a seeded
// generator (Kingma & Welling 2014, §2.4), forward and backward.

import TensorCore

/// Sampling a latent from (μ, logvar) with explicit noise, differentiably.
public enum Reparameterization {
  /// ε: standard normal noise of `shape`, seeded.
  public static func noise(_ shape: [Int], using rng: inout some RandomNumberGenerator) -> Tensor {
    Tensor.normal(shape, std: 1, using: &rng)
  }

  /// z = μ + ε·e^(logvar/2). mu, logvar, noise: (N, latent).
  public static func forward(mu: Tensor, logvar: Tensor, noise: Tensor) -> Tensor {
    precondition(
      mu.shape == logvar.shape && mu.shape == noise.shape,
      "reparameterisation shapes differ: mu \(mu.shape), logvar \(logvar.shape), noise \(noise.shape)")
    var z = mu
    for i in 0..<z.count { z.data[i] += noise.data[i] * _expf(0.5 * logvar.data[i]) }
    return z
  }

  /// dμ = dz, dlogvar = dz·ε·½e^(logvar/2).
  public static func backward(_ dz: Tensor, logvar: Tensor, noise: Tensor) -> (dMu: Tensor, dLogvar: Tensor) {
    precondition(dz.shape == logvar.shape && dz.shape == noise.shape, "reparameterisation backward shapes differ")
    var dLogvar = dz
    for i in 0..<dz.count { dLogvar.data[i] *= noise.data[i] * 0.5 * _expf(0.5 * logvar.data[i]) }
    return (dz, dLogvar)
  }
}
