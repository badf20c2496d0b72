// Bias-free fully connected layer (PyTorch `nn.Linear(..., bias=False)`), used by the SimCLR projection head.

import NeuralNet
import TensorCore

/// y = x·Wᵀ. Parameter `<name>.weight` (out, in), init U(±1/√in) as `nn.Linear.reset_parameters`.
public struct PlainLinear: Sendable {
    public let name: String
    public let inputFeatures: Int
    public let outputFeatures: Int

    public init(name: String, inputFeatures: Int, outputFeatures: Int) {
        self.name = name
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
    }

    public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
        let bound = 1 / Float(inputFeatures).squareRoot()
        store.register("\(name).weight", Tensor(uniform: [outputFeatures, inputFeatures], in: -bound...bound, using: &rng))
    }

    /// x: (N, in) → y: (N, out). The cache is x.
    public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Tensor) {
        precondition(x.rank == 2 && x.shape[1] == inputFeatures, "\(name) expects (N, \(inputFeatures)), got \(x.shape)")
        return (Dense.forward(x, weight: store["\(name).weight"], bias: nil), x)
    }

    /// Returns dx: (N, in) and accumulates dweight.
    public func backward(_ dy: Tensor, _ input: Tensor, _ store: inout ParameterStore) -> Tensor {
        let (dx, dw, _) = Dense.backward(dy, input: input, weight: store["\(name).weight"])
        store.accumulateGradient("\(name).weight", dw)
        return dx
    }
}
