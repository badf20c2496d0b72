// Channel dropout layer with seeded masks (PyTorch `nn.Dropout2d` / `F.dropout2d`): zeroes whole (n, c) planes.

import TensorCore

/// Channel dropout (zeroes whole (n, c) planes) with probability `p`.
public struct Dropout2d: Sendable {
  public let p: Float

  public init(p: Float) {
    self.p = p
  }

  public func callAsFunction(_ x: Tensor, training: Bool, using rng: inout some RandomNumberGenerator) -> (
    Tensor, [Float]?
  ) {
    guard training, p > 0 else { return (x, nil) }
    let (n, c, _, _) = x.nchw
    let mask = Dropout.channelMask(batch: n, channels: c, p: p, using: &rng)
    return (Dropout.applyChannels(x, mask: mask), mask)
  }

  public func backward(_ dy: Tensor, _ mask: [Float]?) -> Tensor {
    guard let mask else { return dy }
    return Dropout.applyChannels(dy, mask: mask)
  }
}
