// Rectifier layer (PyTorch `nn.ReLU`): the slope-0 case of the LeakyReLU kernel. Its cache is the output, not the
// input (y > 0 exactly where x > 0), so a network keeps one activation less per ReLU: the output is held by the
// next layer anyway, as PyTorch's in-place ReLU does.

import TensorCore

/// ReLU (PyTorch `nn.ReLU`). No parameters.
public struct ReLU: Sendable {
  public init() {}

  /// Returns y and the cache for `backward`, which is y itself.
  public func callAsFunction(_ x: Tensor) -> (Tensor, Tensor) {
    let y = Activation.leakyReLU(x, slope: 0)
    return (y, y)
  }

  /// dx = dy where the forward output (the cache) is positive, else 0.
  public func backward(_ dy: Tensor, _ output: Tensor) -> Tensor {
    Activation.leakyReLUBackward(dy, input: output, slope: 0)
  }
}
