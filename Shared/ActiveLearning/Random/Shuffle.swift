// A Fisher–Yates shuffle with a fixed draw order, so a seed gives the same permutation on
// every Swift version (the standard library's `shuffle(using:)` does not promise that).

/// Deterministic shuffling.
public enum Shuffle {
  /// Shuffles `array` in place: for i from the end, swap with a uniform j in 0...i.
  public static func fisherYates<T>(_ array: inout [T], using rng: inout some RandomNumberGenerator) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = Int(uniform(below: UInt64(i + 1), using: &rng))
      array.swapAt(i, j)
    }
  }

  /// A uniform integer in 0..<bound by rejection (Lemire), independent of stdlib internals.
  public static func uniform(below bound: UInt64, using rng: inout some RandomNumberGenerator) -> UInt64 {
    precondition(bound > 0, "uniform(below:) needs a positive bound")
    let threshold = (0 &- bound) % bound
    while true {
      let r = rng.next()
      let (high, low) = r.multipliedFullWidth(by: bound)
      if low >= threshold { return high }
    }
  }
}
