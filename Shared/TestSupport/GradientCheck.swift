// Finite-difference gradient checking for the numeric tests.

import TensorCore

/// Central-difference gradient checks: compare an analytic gradient with (f(x+h) − f(x−h)) / 2h.
public enum GradientCheck {
  /// Numeric gradient of scalar `f` at `x` for the given element indices (all when nil).
  public static func numeric(_ f: (Tensor) -> Double, at x: Tensor, eps: Float = 1e-2, indices: [Int]? = nil) -> [Int:
    Double]
  {
    var out: [Int: Double] = [:]
    for i in indices ?? Array(0..<x.count) {
      var xp = x, xm = x
      xp.data[i] += eps
      xm.data[i] -= eps
      out[i] = (f(xp) - f(xm)) / Double(2 * eps)
    }
    return out
  }

  /// Largest violation of |a − n| ≤ atol + rtol·max(|a|, |n|) over the checked indices, as a ratio
  /// (≤ 1 passes). Checks at most `maxChecks` evenly spread elements.
  public static func worstRatio(
    analytic: Tensor, _ f: (Tensor) -> Double, at x: Tensor, eps: Float = 1e-2,
    rtol: Double = 1e-2, atol: Double = 1e-3, maxChecks: Int = 40
  ) -> Double {
    precondition(analytic.shape == x.shape, "analytic gradient \(analytic.shape) vs input \(x.shape)")
    let step = max(1, x.count / maxChecks)
    let idx = Array(stride(from: 0, to: x.count, by: step))
    let num = numeric(f, at: x, eps: eps, indices: idx)
    var worst = 0.0
    for i in idx {
      let a = Double(analytic.data[i]), n = num[i]!
      let ratio = abs(a - n) / (atol + rtol * max(abs(a), abs(n)))
      if ratio.isNaN { return .infinity }
      worst = max(worst, ratio)
    }
    return worst
  }

  /// Relative error ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂, floor) over up to `maxChecks` evenly spread elements: robust to the
  /// few elements whose difference quotient straddles a kink (ReLU, max-pool) in a deep composition. The small
  /// default step keeps kinks out of most quotients; float32 rounding then costs ~1e-3 relative, well inside 2e-2.
  public static func relativeError(
    analytic: Tensor, _ f: (Tensor) -> Double, at x: Tensor, eps: Float = 1e-4,
    maxChecks: Int = 40, floor: Double = 1e-2
  ) -> Double {
    let step = max(1, x.count / maxChecks)
    let idx = Array(stride(from: 0, to: x.count, by: step))
    let num = numeric(f, at: x, eps: eps, indices: idx)
    var diff = 0.0, na = 0.0, nn = 0.0
    for i in idx {
      let a = Double(analytic.data[i]), n = num[i]!
      diff += (a - n) * (a - n); na += a * a; nn += n * n
    }
    let error = diff.squareRoot() / max(na.squareRoot(), nn.squareRoot(), floor)
    return error.isNaN ? .infinity : error
  }

  /// Σ y ⊙ r in Double: turns a tensor-valued function into a scalar with upstream gradient r.
  public static func dot(_ y: Tensor, _ r: Tensor) -> Double {
    precondition(y.shape == r.shape, "dot of \(y.shape) and \(r.shape)")
    var s = 0.0
    for i in 0..<y.count { s += Double(y.data[i]) * Double(r.data[i]) }
    return s
  }
}
