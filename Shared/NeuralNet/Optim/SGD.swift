// Stochastic gradient descent with momentum and L2 weight decay, PyTorch semantics (`torch.optim.SGD`).
// g ← g + λ·θ; b ← μ·b + g (b = g on the first step); θ ← θ − lr·b, or with Nesterov θ ← θ − lr·(g + μ·b).

import TensorCore

/// SGD(lr, momentum 0.9, weight decay 1e-4) as in method spec §2.5, with per-parameter momentum buffers.
public struct SGD: Sendable {
  public var learningRate: Float
  public var momentum: Float
  public var weightDecay: Float
  /// Nesterov momentum (`nesterov=True`): the step looks ahead along the updated momentum buffer.
  public var nesterov: Bool
  /// Momentum buffer per parameter name.
  public private(set) var buffers: [String: Tensor] = [:]

  public init(learningRate: Float = 0.01, momentum: Float = 0.9, weightDecay: Float = 1e-4, nesterov: Bool = false) {
    precondition(!nesterov || momentum > 0, "Nesterov SGD needs a positive momentum, got \(momentum)")
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  /// Updates every parameter of `store` from its gradient (gradients are left as they are).
  public mutating func step(_ store: inout ParameterStore) {
    for name in store.names {
      var g = store.gradients[name]!
      let theta = store.values[name]!
      if weightDecay != 0 {
        for i in 0..<g.count { g.data[i] += weightDecay * theta.data[i] }
      }
      if momentum != 0 {
        var b: Tensor
        if let old = buffers.removeValue(forKey: name) {
          b = old
          for i in 0..<b.count { b.data[i] = momentum * b.data[i] + g.data[i] }
        } else {
          b = g
        }
        buffers[name] = b
        if nesterov {
          for i in 0..<g.count { g.data[i] += momentum * b.data[i] }
        } else {
          g = b
        }
      }
      let lr = learningRate
      store.values[name]!.data.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count { p[i] -= lr * g.data[i] }
      }
    }
  }
}
