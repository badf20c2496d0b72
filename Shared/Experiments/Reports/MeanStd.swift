// Mean and sample standard deviation (ddof = 1) over seeds, and the trapezoid rule.

/// Mean ± sample standard deviation of a set of values.
public struct MeanStd: Codable, Sendable, Hashable {
  public var mean: Double
  /// Sample standard deviation (ddof = 1); `nil` with fewer than two values.
  public var std: Double?
  /// How many values.
  public var count: Int

  public init(mean: Double, std: Double?, count: Int) {
    self.mean = mean
    self.std = std
    self.count = count
  }

  /// Mean and ddof = 1 standard deviation of `values` (as numpy's `std(ddof=1)`).
  public init(_ values: [Double]) {
    precondition(!values.isEmpty, "MeanStd needs at least one value")
    let mean = values.reduce(0, +) / Double(values.count)
    var std: Double?
    if values.count > 1 {
      let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
      std = (squares / Double(values.count - 1)).squareRoot()
    }
    self.init(mean: mean, std: std, count: values.count)
  }

  /// `0.8123 ± 0.0140`, or `0.8123 ± –` without a standard deviation; `n/a` for a non-finite number.
  public func formatted(digits: Int = 4) -> String {
    "\(Self.fixed(mean, digits)) ± \(std.map { Self.fixed($0, digits) } ?? "–")"
  }

  static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    var text = String(Int(rounded))
    while text.count <= digits { text = "0" + text }
    let split = text.index(text.endIndex, offsetBy: -digits)
    let body = digits == 0 ? text : "\(text[..<split]).\(text[split...])"
    return (value < 0 && rounded != 0 ? "-" : "") + body
  }

  /// Area under the piecewise-linear curve through `(x, y)` points, in the given order.
  public static func trapezoid(x: [Double], y: [Double]) -> Double {
    precondition(x.count == y.count, "trapezoid needs as many x (\(x.count)) as y (\(y.count))")
    guard x.count > 1 else { return 0 }
    var area = 0.0
    for i in 1..<x.count { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
    return area
  }
}
