// Rectifier layer (PyTorch `nn.ReLU`): the slope-0 case of the LeakyReLU kernel.

import TensorCore

/// ReLU (PyTorch `nn.ReLU`). No parameters.
public struct ReLU: Sendable {
    public init() {}

    public func callAsFunction(_ x: Tensor) -> (Tensor, Tensor) {
        (Activation.leakyReLU(x, slope: 0), x)
    }

    public func backward(_ dy: Tensor, _ input: Tensor) -> Tensor {
        Activation.leakyReLUBackward(dy, input: input, slope: 0)
    }
}
