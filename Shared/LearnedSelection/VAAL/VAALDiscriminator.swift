// VAAL's discriminator (spec §5.9): an MLP latent → width → width → 1 with ReLUs; the sigmoid is
// folded into the loss and the scores, so `callAsFunction` returns logits.

import NeuralNet
import TensorCore

/// `Linear(latent→w) → ReLU → Linear(w→w) → ReLU → Linear(w→1)` (+ sigmoid outside), Kaiming-normal
/// weights and zero biases. Parameter names `net.0`, `net.2`, `net.4` as the PyTorch module.
public struct VAALDiscriminator: Sendable {
  public let latentDimensions: Int
  public let width: Int
  let layers: [Linear]

  public init(latentDimensions: Int, width: Int) {
    self.latentDimensions = latentDimensions
    self.width = width
    layers = [
      Linear(name: "net.0", inputFeatures: latentDimensions, outputFeatures: width),
      Linear(name: "net.2", inputFeatures: width, outputFeatures: width),
      Linear(name: "net.4", inputFeatures: width, outputFeatures: 1)
    ]
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    for layer in layers {
      layer.register(in: &store, using: &rng)
      KaimingNormal.apply(layer.name, in: &store, using: &rng)
    }
  }

  /// Inputs of each linear layer and the pre-ReLU activations.
  public struct Cache: Sendable {
    var inputs: [Tensor] = []
    var preActivations: [Tensor] = []
  }

  /// mu: (N, latent) → logits: (N, 1); D(μ) = σ(logit).
  public func callAsFunction(_ mu: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
    var cache = Cache()
    var h = mu
    for (i, layer) in layers.enumerated() {
      cache.inputs.append(h)
      h = layer(h, store).0
      if i < layers.count - 1 {
        cache.preActivations.append(h)
        h = ReLU()(h).0
      }
    }
    return (h, cache)
  }

  /// Accumulates parameter gradients from dLogits: (N, 1); returns dμ: (N, latent).
  public func backward(_ dLogits: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    var dh = dLogits
    for i in stride(from: layers.count - 1, through: 0, by: -1) {
      if i < layers.count - 1 { dh = ReLU().backward(dh, cache.preActivations[i]) }
      dh = layers[i].backward(dh, cache.inputs[i], &store)
    }
    return dh
  }
}
