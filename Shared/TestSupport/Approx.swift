// Tolerant comparison of float arrays (tests never compare floats with ==).

/// Tolerant comparison of float arrays.
public enum Approx {
  /// Largest |a − b| / (atol + rtol·|b|) over all elements (≤ 1 means equal within tolerance).
  public static func worstRatio(_ a: [Float], _ b: [Float], rtol: Double = 1e-4, atol: Double = 1e-5) -> Double {
    precondition(a.count == b.count, "comparing \(a.count) with \(b.count) elements")
    var worst = 0.0
    for i in 0..<a.count {
      let diff = abs(Double(a[i]) - Double(b[i])), tolerance = atol + rtol * abs(Double(b[i]))
      if diff.isNaN { return .infinity }
      if diff == 0 { continue }  // also exact with zero tolerance
      worst = max(worst, tolerance > 0 ? diff / tolerance : .infinity)
    }
    return worst
  }

  /// True when every element of `a` is within tolerance of `b`.
  public static func equal(_ a: [Float], _ b: [Float], rtol: Double = 1e-4, atol: Double = 1e-5) -> Bool {
    a.count == b.count && worstRatio(a, b, rtol: rtol, atol: atol) <= 1
  }
}
