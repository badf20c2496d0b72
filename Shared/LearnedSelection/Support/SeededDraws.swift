// Seeded draws with a fixed order (uniform integers, Fisher–Yates, standard normals), so a seed
// gives the same result on every Swift version. ActiveLearning has internal twins (`Shuffle`);
// the lead may dedupe them.

/// Deterministic random helpers on any `RandomNumberGenerator`.
enum SeededDraws {
  /// A uniform integer in `0..<bound` by Lemire's rejection method.
  static func uniform(below bound: Int, using rng: inout some RandomNumberGenerator) -> Int {
    precondition(bound > 0, "uniform(below:) needs a positive bound, got \(bound)")
    let b = UInt64(bound)
    let threshold = (0 &- b) % b
    while true {
      let (high, low) = rng.next().multipliedFullWidth(by: b)
      if low >= threshold { return Int(high) }
    }
  }

  /// Shuffles in place: for i from the end, swap with a uniform j in 0...i.
  static func shuffle<T>(_ array: inout [T], using rng: inout some RandomNumberGenerator) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(i, uniform(below: i + 1, using: &rng))
    }
  }

  /// `count` standard-normal Floats by Box–Muller (two 53-bit uniforms per pair), scaled by `std`.
  static func normals(_ count: Int, std: Float = 1, using rng: inout some RandomNumberGenerator) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    var i = 0
    while i < count {
      let u1 = max(Double(rng.next() >> 11) * 0x1.0p-53, 1e-300), u2 = Double(rng.next() >> 11) * 0x1.0p-53
      let r = (-2 * _log(u1)).squareRoot(), angle = 2 * Double.pi * u2
      out[i] = Float(r * _cos(angle)) * std
      if i + 1 < count { out[i + 1] = Float(r * _sin(angle)) * std }
      i += 2
    }
    return out
  }
}
