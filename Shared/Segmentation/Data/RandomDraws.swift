// The few random draws the trainer makes (uniform double, integer below n, shuffle), defined here on top of any
// RandomNumberGenerator so the sequence depends only on the generator, not on the standard library's algorithms.

/// Version-stable random draws.
public enum RandomDraws {
  /// A uniform Double in [0, 1) from 53 random bits.
  public static func unit(using rng: inout some RandomNumberGenerator) -> Double {
    Double(rng.next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in 0..<n (multiply-shift; bias below 2⁻⁴⁰ for n < 2²⁴).
  public static func index(below n: Int, using rng: inout some RandomNumberGenerator) -> Int {
    precondition(n > 0, "index(below:) needs n > 0, got \(n)")
    return Int(((rng.next() >> 32) &* UInt64(n)) >> 32)
  }

  /// Fisher–Yates shuffle of 0..<n.
  public static func permutation(_ n: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
    var p = Array(0..<n)
    if n < 2 { return p }
    for i in stride(from: n - 1, to: 0, by: -1) {
      p.swapAt(i, index(below: i + 1, using: &rng))
    }
    return p
  }
}
