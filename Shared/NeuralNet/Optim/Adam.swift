// Adam (Kingma & Ba 2015) with PyTorch `torch.optim.Adam` semantics, including bias correction and
// L2 weight decay added to the gradient.

import TensorCore

/// Per-parameter Adam moments.
public struct AdamState: Sendable {
  public var m: Tensor
  public var v: Tensor
}

/// Adam(lr, betas, eps, weightDecay).
public struct Adam: Sendable {
  public var learningRate: Float
  public var betas: (Float, Float)
  public var eps: Float
  public var weightDecay: Float
  public private(set) var step: Int = 0
  public private(set) var states: [String: AdamState] = [:]

  public init(
    learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8, weightDecay: Float = 0
  ) {
    self.learningRate = learningRate
    self.betas = betas
    self.eps = eps
    self.weightDecay = weightDecay
  }

  public mutating func update(_ store: inout ParameterStore) {
    step += 1
    let (b1, b2) = betas
    let c1 = 1 - pow(b1, step), c2 = 1 - pow(b2, step)
    for name in store.names {
      var g = store.gradients[name]!
      let theta = store.values[name]!
      if weightDecay != 0 { for i in 0..<g.count { g.data[i] += weightDecay * theta.data[i] } }
      var s = states.removeValue(forKey: name) ?? AdamState(m: Tensor(shape: g.shape), v: Tensor(shape: g.shape))
      var p = theta
      for i in 0..<g.count {
        s.m.data[i] = b1 * s.m.data[i] + (1 - b1) * g.data[i]
        s.v.data[i] = b2 * s.v.data[i] + (1 - b2) * g.data[i] * g.data[i]
        let mhat = s.m.data[i] / c1
        let denom = (s.v.data[i] / c2).squareRoot() + eps
        p.data[i] -= learningRate * mhat / denom
      }
      states[name] = s
      store.values[name] = p
    }
  }

  private func pow(_ x: Float, _ n: Int) -> Float {
    var r: Float = 1
    for _ in 0..<n { r *= x }
    return r
  }
}
