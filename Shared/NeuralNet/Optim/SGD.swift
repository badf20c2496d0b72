// Stochastic gradient descent with momentum and L2 weight decay, PyTorch semantics (`torch.optim.SGD`).
// g ← g + λ·θ; b ← μ·b + g (b = g on the first step); θ ← θ − lr·b.

import TensorCore

/// SGD(lr, momentum 0.9, weight decay 1e-4) as in method spec §2.5, with per-parameter momentum buffers.
public struct SGD: Sendable {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    /// Momentum buffer per parameter name.
    public private(set) var buffers: [String: Tensor] = [:]

    public init(learningRate: Float = 0.01, momentum: Float = 0.9, weightDecay: Float = 1e-4) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
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
                if var b = buffers[name] {
                    buffers[name] = nil
                    for i in 0..<b.count { b.data[i] = momentum * b.data[i] + g.data[i] }
                    buffers[name] = b
                    g = b
                } else {
                    buffers[name] = g
                }
            }
            let lr = learningRate
            store.values[name]!.data.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] -= lr * g.data[i] }
            }
        }
    }
}
