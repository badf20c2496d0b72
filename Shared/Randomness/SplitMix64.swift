// SplitMix64: the one seeded generator behind every random draw (weight init, dropout, shuffles,
// phantom generation, splits, k-center's first pick). Reference: Steele, Lea, Flood, "Fast Splittable
// Pseudorandom Number Generators" (OOPSLA 2014).
import Foundation

/// A seeded, fast 64-bit generator. Same seed, same sequence, on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The current state; advancing it by the golden-ratio increment yields the next output.
  public private(set) var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform float in [0, 1) with 24 random bits.
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform Double in [lo, hi).
  public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
    lo + (hi - lo) * Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal sample (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = max(uniform(0, 1), 1e-300)
    let u2 = uniform(0, 1)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Derives an independent seed from a base seed and a list of stream ids (e.g. patient, phase).
  public static func derive(_ seed: UInt64, _ ids: UInt64...) -> UInt64 {
    var generator = SplitMix64(seed: seed)
    var out = generator.next()
    for id in ids {
      generator = SplitMix64(seed: out ^ (id &* 0xD6E8_FEB8_6659_FD93))
      out = generator.next()
    }
    return out
  }
}
