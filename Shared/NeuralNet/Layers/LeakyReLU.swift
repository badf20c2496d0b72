// Leaky rectifier layer (PyTorch `nn.LeakyReLU`, default negative slope 0.01).

import TensorCore

/// LeakyReLU with a fixed negative slope. No parameters.
public struct LeakyReLU: Sendable {
  public let negativeSlope: Float

  public init(negativeSlope: Float = 0.01) {
    self.negativeSlope = negativeSlope
  }

  /// Cache is the input x.
  public func callAsFunction(_ x: Tensor) -> (Tensor, Tensor) {
    (Activation.leakyReLU(x, slope: negativeSlope), x)
  }

  public func backward(_ dy: Tensor, _ input: Tensor) -> Tensor {
    Activation.leakyReLUBackward(dy, input: input, slope: negativeSlope)
  }
}
