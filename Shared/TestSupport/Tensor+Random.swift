// Seeded random tensors for tests.

import TensorCore
import Randomness

extension Tensor {
  /// Standard-normal-ish values (sum of uniforms) for tests, seeded.
  public static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = SplitMix64(seed: seed)
    return Tensor(
      shape: shape,
      data: (0..<shape.reduce(1, *)).map { _ in
        (Float.random(in: -1...1, using: &rng) + Float.random(in: -1...1, using: &rng)
          + Float.random(in: -1...1, using: &rng)) * scale
      })
  }
}
