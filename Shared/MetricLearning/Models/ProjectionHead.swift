// SimCLR projection head (Chen et al. 2020; method spec §3.2): Linear(F, F, no bias) → ReLU → Linear(F, P, no bias).

import NeuralNet
import TensorCore

/// The MLP head; names `<name>.0.weight` (F, F) and `<name>.2.weight` (P, F), as an `nn.Sequential`.
public struct ProjectionHead: Sendable {
  public let first: Linear
  public let second: Linear
  let relu = ReLU()

  public init(name: String, featureDimension: Int, projectionDimension: Int) {
    first = Linear(name: "\(name).0", inputFeatures: featureDimension, outputFeatures: featureDimension, bias: false)
    second = Linear(
      name: "\(name).2", inputFeatures: featureDimension, outputFeatures: projectionDimension, bias: false)
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    first.register(in: &store, using: &rng)
    second.register(in: &store, using: &rng)
  }

  public struct Cache: Sendable {
    var first: Tensor, relu: Tensor, second: Tensor
  }

  /// feature: (N, F) → z: (N, P)
  public func callAsFunction(_ feature: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
    let (a, c1) = first(feature, store)
    let (r, rc) = relu(a.reshaped([a.shape[0], a.shape[1], 1, 1]))
    let (z, c2) = second(r.reshaped(a.shape), store)
    return (z, Cache(first: c1, relu: rc, second: c2))
  }

  /// dz: (N, P) → dFeature: (N, F)
  public func backward(_ dz: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    let dr = second.backward(dz, cache.second, &store)
    let da = relu.backward(dr.reshaped(cache.relu.shape), cache.relu)
    return first.backward(da.reshaped(dr.shape), cache.first, &store)
  }
}
