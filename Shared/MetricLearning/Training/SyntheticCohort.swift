// Synthetic unlabelled slices for checks and demos (no I/O): patients × volumes × slices, each volume with its own
// stripe texture and disk centre, a disk radius that varies smoothly along the slices, and per-slice nuisance
// (random stripe phase and brightness offset).

import Foundation
import Randomness

/// A seeded synthetic cohort whose volumes differ in texture, for the embedding quality check.
public struct SyntheticCohort: Sendable {
  public var images: [GrayImage] = []
  public var keys: [SliceKey] = []
  /// Volume id per slice (patient · volumes + volume).
  public var volumeLabels: [Int] = []

  /// `brightness` is the range of the per-slice offset added to every pixel.
  public init(
    patients: Int, volumes: Int, slices: Int, size: Int, brightness: ClosedRange<Double> = 0...0.5, seed: UInt64
  ) {
    var rng = SplitMix64(seed: seed)
    for p in 0..<patients {
      for v in 0..<volumes {
        // stripe angles spread evenly over the volumes, two stripe frequencies alternating
        let id = p * volumes + v, total = patients * volumes
        let angle = Double.pi * Double(id) / Double(total) + Double.random(in: -0.05...0.05, using: &rng)
        let freq = id % 2 == 0 ? 0.7 : 1.4
        let cx = Double.random(in: 0.35...0.65, using: &rng) * Double(size)
        let cy = Double.random(in: 0.35...0.65, using: &rng) * Double(size)
        for s in 0..<slices {
          let radius = Double(size) * (0.15 + 0.2 * sin(Double.pi * Double(s + 1) / Double(slices + 1)))
          let brightness = Double.random(in: brightness, using: &rng)
          let phase = Double.random(in: 0..<(2 * Double.pi), using: &rng)
          var pixels = [Float](repeating: 0, count: size * size)
          for y in 0..<size {
            for x in 0..<size {
              let t = (Double(x) * cos(angle) + Double(y) * sin(angle)) * freq + phase
              let inside = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) < radius * radius
              pixels[y * size + x] = Float(brightness + 0.25 * (1 + sin(t)) * (inside ? 1 : 0.4))
            }
          }
          images.append(GrayImage(height: size, width: size, pixels: pixels))
          keys.append(SliceKey(patient: p, volume: v, position: s))
          volumeLabels.append(p * volumes + v)
        }
      }
    }
  }
}
