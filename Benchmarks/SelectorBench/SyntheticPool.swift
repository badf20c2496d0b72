// Deterministic synthetic pool for the selector benchmark: hashed pixel and embedding values and
// stroke-like scribbles from SplitMix64, generated identically by kcenter_numpy.py.

import ActiveLearning
import Randomness

/// Synthetic 128×128 pixel rows (stored pixel-major), 512-d embeddings and scribble masks for `slices` slices.
struct SyntheticPool {
  static let side = 128
  static let dims = 512

  let pixels: PixelColumns
  let embeddings: FeatureMatrix
  let scribbles: ScribbleMasks

  /// A value in [0, 1) from an integer hash of (row, column, salt); exact in Float and in NumPy.
  @inline(__always)
  static func hashUnit(_ i: UInt32, _ j: UInt32, _ salt: UInt32) -> Float {
    var h = (i &* 0x9E37_79B1) ^ (j &* 0x85EB_CA77) ^ salt
    h ^= h >> 15
    h = h &* 0x2C1B_3C6D
    h ^= h >> 12
    return Float(h >> 8) / 16_777_216
  }

  /// `scribbled`: only slices below it get scribbles (the service's workload, where the labeled slices have
  /// scribbles and the candidates, so every new center, have none); nil gives them to nine slices in ten.
  init(slices n: Int, scribbled: Int? = nil) {
    let p = Self.side * Self.side, d = Self.dims
    let pixelValues = [Float](unsafeUninitializedCapacity: n * p) { buffer, count in
      for j in 0..<p {  // pixel-major, as OursMetric reads it
        for i in 0..<n { buffer[j * n + i] = Self.hashUnit(UInt32(i), UInt32(j), 0x1234_5678) }
      }
      count = n * p
    }
    let embeddingValues = [Float](unsafeUninitializedCapacity: n * d) { buffer, count in
      for i in 0..<n {
        for j in 0..<d { buffer[i * d + j] = Self.hashUnit(UInt32(i), UInt32(j), 0x0BAD_F00D) * 2 - 1 }
      }
      count = n * d
    }
    var labels = [UInt8](repeating: 4, count: n * p)
    for i in 0..<min(n, scribbled ?? n) { Self.drawStrokes(slice: i, into: &labels) }
    pixels = PixelColumns(slices: n, pixels: p, values: pixelValues)
    embeddings = FeatureMatrix(rows: n, columns: d, values: embeddingValues)
    scribbles = ScribbleMasks(slices: n, pixels: p, labels: labels)
  }

  /// Number of scribbled pixels of `slice` (the columns a sweep with it as center reads).
  func scribbledCount(slice: Int) -> Int {
    let p = Self.side * Self.side
    return scribbles.labels[(slice * p)..<((slice + 1) * p)].reduce(0) { $0 + ($1 != scribbles.unannotated ? 1 : 0) }
  }

  /// One in ten slices stays unscribbled; the others get 2–4 strokes of 16–79 pixels
  /// (horizontal, vertical or diagonal), each of one class 0–3.
  static func drawStrokes(slice i: Int, into labels: inout [UInt8]) {
    var rng = SplitMix64(seed: UInt64(i) &+ 12_345)
    if rng.next() % 10 == 0 { return }
    let strokes = 2 + Int(rng.next() % 3)
    for _ in 0..<strokes {
      let label = UInt8(rng.next() % 4)
      let orientation = rng.next() % 3
      let length = 16 + Int(rng.next() % 64)
      let row = Int(rng.next() % UInt64(side)), col = Int(rng.next() % UInt64(side))
      for t in 0..<length {
        let r = orientation == 0 ? row : row + t
        let c = orientation == 1 ? col : col + t
        if r >= side || c >= side { break }
        labels[i * side * side + r * side + c] = label
      }
    }
  }
}
