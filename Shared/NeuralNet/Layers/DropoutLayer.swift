// Element-wise dropout layer with seeded masks (PyTorch `nn.Dropout`); named DropoutLayer because TensorCore's
// kernel namespace is `Dropout`.

import TensorCore

/// Element-wise inverted dropout with probability `p`; identity in evaluation mode or when p = 0.
public struct DropoutLayer: Sendable {
  public let p: Float

  public init(p: Float) {
    self.p = p
  }

  /// Cache is the mask (nil when no dropout was applied).
  public func callAsFunction(_ x: Tensor, training: Bool, using rng: inout some RandomNumberGenerator) -> (
    Tensor, [Float]?
  ) {
    guard training, p > 0 else { return (x, nil) }
    let mask = Dropout.mask(count: x.count, p: p, using: &rng)
    return (Dropout.apply(x, mask: mask), mask)
  }

  public func backward(_ dy: Tensor, _ mask: [Float]?) -> Tensor {
    guard let mask else { return dy }
    return Dropout.apply(dy, mask: mask)
  }
}
