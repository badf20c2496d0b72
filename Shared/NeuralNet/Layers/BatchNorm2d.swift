// Batch normalisation layer (PyTorch `nn.BatchNorm2d`, eps 1e-5, momentum 0.1), forward and backward.

import TensorCore

/// BatchNorm2d. Parameters `<name>.weight` (γ, init 1) and `<name>.bias` (β, init 0);
/// buffers `<name>.running_mean` (init 0) and `<name>.running_var` (init 1).
///
/// In training the running statistics move by `momentum` toward the batch mean and the *unbiased* batch variance,
/// as PyTorch does; normalisation uses the biased variance.
public struct BatchNorm2d: Sendable {
  public let name: String
  public let channels: Int
  public let eps: Float
  public let momentum: Float

  public init(name: String, channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
    self.name = name
    self.channels = channels
    self.eps = eps
    self.momentum = momentum
  }

  public func register(in store: inout ParameterStore) {
    store.register("\(name).weight", Tensor(shape: [channels], repeating: 1))
    store.register("\(name).bias", Tensor(shape: [channels]))
    store.registerBuffer("\(name).running_mean", Tensor(shape: [channels]))
    store.registerBuffer("\(name).running_var", Tensor(shape: [channels], repeating: 1))
  }

  public struct Cache: Sendable {
    /// nil in evaluation mode (no backward through eval statistics).
    public var batch: BatchNorm.Cache?
  }

  /// y: same shape as x: (N, C, H, W). Updates the running statistics when `training`.
  public func callAsFunction(_ x: Tensor, _ store: inout ParameterStore, training: Bool) -> (Tensor, Cache) {
    precondition(x.rank == 4 && x.shape[1] == channels, "\(name) expects \(channels) channels, got \(x.shape)")
    let gamma = store["\(name).weight"].data, beta = store["\(name).bias"].data
    if !training {
      let y = BatchNorm.evalForward(
        x, gamma: gamma, beta: beta, mean: store.buffers["\(name).running_mean"]!.data,
        variance: store.buffers["\(name).running_var"]!.data, eps: eps)
      return (y, Cache(batch: nil))
    }
    let (y, mean, variance, cache) = BatchNorm.trainForward(x, gamma: gamma, beta: beta, eps: eps)
    let m = Float(x.count / channels)
    let unbiased = m > 1 ? m / (m - 1) : 1
    for c in 0..<channels {
      store.buffers["\(name).running_mean"]!.data[c] =
        (1 - momentum) * store.buffers["\(name).running_mean"]!.data[c] + momentum * mean[c]
      store.buffers["\(name).running_var"]!.data[c] =
        (1 - momentum) * store.buffers["\(name).running_var"]!.data[c] + momentum * variance[c] * unbiased
    }
    return (y, Cache(batch: cache))
  }

  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    guard let batch = cache.batch else { preconditionFailure("\(name): backward needs a training-mode forward") }
    let (dx, dg, db) = BatchNorm.backward(dy, gamma: store["\(name).weight"].data, cache: batch)
    store.accumulateGradient("\(name).weight", Tensor(shape: [channels], data: dg))
    store.accumulateGradient("\(name).bias", Tensor(shape: [channels], data: db))
    return dx
  }
}
