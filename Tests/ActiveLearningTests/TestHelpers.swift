// Shared helpers for ActiveLearningTests: fixture loading, approximate comparison and seeded
// random inputs.

import Foundation
import Testing
@testable import ActiveLearning
import Randomness

/// Loads `Fixtures/<name>` next to this file as a JSON dictionary.
func loadFixture(_ name: String) throws -> [String: Any] {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
  let data = try Data(contentsOf: url)
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

extension Dictionary where Key == String, Value == Any {
  func int(_ key: String) throws -> Int { try #require(self[key] as? Int) }
  func ints(_ key: String) throws -> [Int] { try #require(self[key] as? [Int]) }
  func doubles(_ key: String) throws -> [Double] { try #require(self[key] as? [Double]) }
  func floats(_ key: String) throws -> [Float] { try doubles(key).map { Float($0) } }
}

/// |a − b| ≤ atol + rtol·|b|.
func isClose(_ a: Double, _ b: Double, rtol: Double = 1e-5, atol: Double = 1e-6) -> Bool {
  abs(a - b) <= atol + rtol * abs(b)
}

/// Seeded random pool data: pixel rows, embeddings and stroke-like scribble masks (some empty).
struct RandomPoolData {
  let pixels: FeatureMatrix
  let embeddings: FeatureMatrix
  let scribbles: ScribbleMasks

  init(slices: Int, side: Int, dims: Int, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let p = side * side
    func uniform() -> Float { Float(rng.next() >> 40) / Float(1 << 24) }
    pixels = FeatureMatrix(rows: slices, columns: p, values: (0..<(slices * p)).map { _ in uniform() })
    embeddings = FeatureMatrix(
      rows: slices, columns: dims, values: (0..<(slices * dims)).map { _ in uniform() * 2 - 1 })
    var labels = [UInt8](repeating: 4, count: slices * p)
    for s in 0..<slices where rng.next() % 5 != 0 {  // about one slice in five has no scribble
      let row = Int(rng.next() % UInt64(side)), col = Int(rng.next() % UInt64(side))
      let length = 1 + Int(rng.next() % UInt64(side))
      for j in 0..<length { labels[s * p + row * side + (col + j) % side] = UInt8(rng.next() % 4) }
      for i in 0..<(length / 2) { labels[s * p + ((row + i) % side) * side + col] = UInt8(rng.next() % 4) }
    }
    scribbles = ScribbleMasks(slices: slices, pixels: p, labels: labels)
  }

  var selectionData: SelectionData { SelectionData(pixels: pixels, embeddings: embeddings, scribbles: scribbles) }
}

/// A seeded random subset of `0..<n` of size `k`.
func randomRows(_ n: Int, _ k: Int, seed: UInt64) -> [Int] {
  var rng = SplitMix64(seed: seed)
  var rows = Array(0..<n)
  rows.shuffle(using: &rng)
  return Array(rows.prefix(k)).sorted()
}
