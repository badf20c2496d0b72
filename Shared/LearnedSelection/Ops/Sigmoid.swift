// The logistic function σ(x) = 1 / (1 + e^−x), forward and backward (PyTorch `torch.sigmoid`).
// Belongs in TensorCore next to `Activation`.

import TensorCore

/// Element-wise logistic sigmoid.
public enum Sigmoid {
  /// σ(x) for one value, without overflow for large |x|.
  @inline(__always)
  public static func value(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + _expf(-x)) }
    let e = _expf(x)
    return e / (1 + e)
  }

  /// σ(x) in Double (for scores that must not saturate to exactly 0 or 1).
  @inline(__always)
  public static func value(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + _exp(-x)) }
    let e = _exp(x)
    return e / (1 + e)
  }

  /// y = σ(x), any shape.
  public static func forward(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, data: x.data.map { value($0) })
  }

  /// dx = dy · y · (1 − y), given the forward *output* y.
  public static func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
    precondition(dy.shape == y.shape, "sigmoid dy \(dy.shape) and y \(y.shape) differ")
    var dx = dy
    for i in 0..<dx.count { dx.data[i] *= y.data[i] * (1 - y.data[i]) }
    return dx
  }
}
