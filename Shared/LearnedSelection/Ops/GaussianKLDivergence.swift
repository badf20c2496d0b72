// KL divergence of N(μ, e^logvar) from N(0, 1), summed over batch and latent dimensions, as the
// VAAL code computes it: KLD = −½ Σ (1 + logvar − μ² − e^logvar) (Kingma & Welling 2014, App. B).

import TensorCore

/// The summed Gaussian KL term of a VAE.
public enum GaussianKLDivergence {
  /// Returns KLD, dKLD/dμ = μ and dKLD/dlogvar = ½(e^logvar − 1). mu, logvar: (N, latent).
  public static func sum(mu: Tensor, logvar: Tensor) -> (loss: Double, dMu: Tensor, dLogvar: Tensor) {
    precondition(mu.shape == logvar.shape, "KLD mu \(mu.shape) vs logvar \(logvar.shape)")
    var total = 0.0
    var dMu = Tensor(shape: mu.shape), dLogvar = Tensor(shape: mu.shape)
    for i in 0..<mu.count {
      let m = Double(mu.data[i]), lv = Double(logvar.data[i]), e = _exp(lv)
      total += 1 + lv - m * m - e
      dMu.data[i] = mu.data[i]
      dLogvar.data[i] = Float(0.5 * (e - 1))
    }
    return (-0.5 * total, dMu, dLogvar)
  }
}
