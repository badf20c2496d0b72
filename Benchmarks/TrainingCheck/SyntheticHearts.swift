// A seeded synthetic "cardiac" task for the check: per volume a bright disk (class 3) inside a dark ring
// (class 2) with a crescent-like side disk (class 1), on noisy background; full masks and line scribbles.

import Randomness
import Segmentation

#if canImport(Glibc)
  import Glibc
#endif

enum SyntheticHearts {
  /// One volume of `depth` slices of size × size with its full label.
  static func volume(depth: Int, size: Int, using rng: inout SplitMix64) -> LabeledVolume {
    let n = size * size
    var image = [Float](repeating: 0, count: depth * n), label = [UInt8](repeating: 0, count: depth * n)
    let s = Double(size)
    let cx = s * rng.uniform(0.4, 0.6), cy = s * rng.uniform(0.4, 0.6)
    let r0 = s * rng.uniform(0.10, 0.16), t = s * rng.uniform(0.04, 0.07), rv = s * rng.uniform(0.10, 0.15)
    let angle = rng.uniform(0, 2 * Double.pi), gain = rng.uniform(0.8, 1.2)
    for z in 0..<depth {
      let shrink = 1 - 0.5 * Double(z) / Double(max(depth, 2))
      let r = r0 * shrink, rr = rv * shrink
      let rx = cx + cos(angle) * (r + t + 0.5 * rr), ry = cy + sin(angle) * (r + t + 0.5 * rr)
      for y in 0..<size {
        for x in 0..<size {
          let d = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
          let dr = ((Double(x) - rx) * (Double(x) - rx) + (Double(y) - ry) * (Double(y) - ry)).squareRoot()
          var k: UInt8 = 0
          if d < r { k = 3 } else if d < r + t { k = 2 } else if dr < rr { k = 1 }
          let base: [Double] = [0.15, 0.65, 0.35, 0.9]
          image[z * n + y * size + x] = Float(gain * base[Int(k)] + 0.08 * rng.normal())
          label[z * n + y * size + x] = k
        }
      }
    }
    return LabeledVolume(depth: depth, height: size, width: size, image: image, label: label, spacing: [5, 1.5, 1.5])
  }

  /// Scribble version of a full label plane: per class, the pixels on the class's middle row (±1 row) are kept,
  /// all others become 4.
  static func scribble(_ label: Plane<UInt8>) -> Plane<UInt8> {
    var out = [UInt8](repeating: 4, count: label.values.count)
    for k in UInt8(0)...3 {
      let rows = (0..<label.height).filter { y in (0..<label.width).contains { label[y, $0] == k } }
      guard !rows.isEmpty else { continue }
      let mid = rows[rows.count / 2]
      for y in max(mid - 1, 0)...min(mid + 1, label.height - 1) {
        for x in 0..<label.width where label[y, x] == k { out[y * label.width + x] = k }
      }
    }
    return Plane(height: label.height, width: label.width, values: out)
  }

  /// Every slice of `volumes` as a training slice (full mask or scribble).
  static func slices(_ volumes: [LabeledVolume], kind: AnnotationKind) -> [TrainingSlice] {
    volumes.flatMap { v in
      (0..<v.depth).map { d -> TrainingSlice in
        let n = v.height * v.width
        let label = Plane(height: v.height, width: v.width, values: Array(v.label[(d * n)..<((d + 1) * n)]))
        return TrainingSlice(image: v.imageSlice(d), label: kind == .full ? label : scribble(label))
      }
    }
  }
}
