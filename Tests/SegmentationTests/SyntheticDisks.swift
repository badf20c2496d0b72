// A seeded toy segmentation task for the trainer tests: bright disks of random size and contrast on noise.

import Randomness
import Segmentation

enum SyntheticDisks {
  /// One slice: a disk of radius 3–9, brighter or darker than the noisy background (random polarity).
  /// With `classes == 2` every disk is class 1; with 3, bright disks are class 1 and dark disks class 2.
  static func slice(size: Int, classes: Int = 2, using rng: inout SplitMix64) -> (
    image: Plane<Float>, label: Plane<UInt8>
  ) {
    let cx = rng.uniform(8, Double(size) - 8), cy = rng.uniform(8, Double(size) - 8), r = rng.uniform(3, 9)
    let background = rng.uniform(0.3, 0.6), contrast = rng.uniform(0.3, 0.6) * (rng.uniform(0, 1) < 0.5 ? -1 : 1)
    var image = [Float](), label = [UInt8]()
    for y in 0..<size {
      for x in 0..<size {
        let inside = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) < r * r
        image.append(Float(background + (inside ? contrast : 0) + 0.12 * rng.normal()))
        label.append(inside ? (classes == 3 && contrast < 0 ? 2 : 1) : 0)
      }
    }
    return (Plane(height: size, width: size, values: image), Plane(height: size, width: size, values: label))
  }

  static func trainingSlices(_ count: Int, size: Int, classes: Int = 2, seed: UInt64) -> [TrainingSlice] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let (image, label) = slice(size: size, classes: classes, using: &rng)
      return TrainingSlice(image: image, label: label)
    }
  }

  /// Volumes of `depth` independent disk slices.
  static func volumes(_ count: Int, depth: Int, size: Int, classes: Int = 2, seed: UInt64) -> [LabeledVolume] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      var image: [Float] = [], label: [UInt8] = []
      for _ in 0..<depth {
        let s = slice(size: size, classes: classes, using: &rng)
        image += s.image.values
        label += s.label.values
      }
      return LabeledVolume(depth: depth, height: size, width: size, image: image, label: label, spacing: [3, 1, 1])
    }
  }

  /// Scribble of a label plane: the middle row of each class's rows kept, all other pixels 4.
  static func scribble(_ label: Plane<UInt8>) -> Plane<UInt8> {
    var out = [UInt8](repeating: 4, count: label.values.count)
    for k in UInt8(0)...1 {
      let rows = (0..<label.height).filter { y in (0..<label.width).contains { label[y, $0] == k } }
      guard !rows.isEmpty else { continue }
      let mid = rows[rows.count / 2]
      for x in 0..<label.width where label[mid, x] == k { out[mid * label.width + x] = k }
    }
    return Plane(height: label.height, width: label.width, values: out)
  }
}
