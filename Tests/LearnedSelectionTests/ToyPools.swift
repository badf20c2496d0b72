// Tiny seeded pools for the selection tests: two visibly different slice "styles" at 8×8, and
// random feature matrices. Slice ids are offset from rows so id/row mix-ups show.

import ActiveLearning
import Randomness

enum ToyPools {
  /// Slice id of pool row `row`.
  static func id(_ row: Int) -> Int { 1000 + 7 * row }

  /// One 8×8 slice: style A is dark with a bright top-left square, style B bright with a dark
  /// bottom-right square; both with small seeded noise.
  static func slice(styleB: Bool, using rng: inout SplitMix64) -> [Float] {
    (0..<64).map { p in
      let (y, x) = (p / 8, p % 8)
      let base: Float
      if styleB {
        base = (y >= 5 && x >= 5) ? 0.1 : 0.85
      } else {
        base = (y < 3 && x < 3) ? 0.9 : 0.1
      }
      return base + 0.05 * (rng.nextUnitFloat() - 0.5)
    }
  }

  /// `count` slices where rows in `styleBRows` are style B.
  static func pixels(count: Int, styleBRows: Set<Int>, seed: UInt64) -> FeatureMatrix {
    var rng = SplitMix64(seed: seed)
    return FeatureMatrix(rowArrays: (0..<count).map { slice(styleB: styleBRows.contains($0), using: &rng) })
  }

  /// A pool of `count` rows with ids `id(row)`.
  static func pool(_ count: Int) -> SelectionPool { SelectionPool(sliceIDs: (0..<count).map(id)) }

  /// Uniform random features in [0, 1).
  static func features(rows: Int, columns: Int, seed: UInt64) -> FeatureMatrix {
    var rng = SplitMix64(seed: seed)
    return FeatureMatrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in rng.nextUnitFloat() })
  }

  /// Checks the strategy contract; returns a description of the first violation, or nil.
  static func violation(_ picks: [RankedSlice], pool: SelectionPool, labeled: Set<Int>, budget: Int) -> String? {
    let expected = min(budget, pool.count - pool.labeledRows(labeled).count)
    if picks.count != expected { return "got \(picks.count) picks, expected \(expected)" }
    if Set(picks.map(\.id)).count != picks.count { return "repeated ids \(picks.map(\.id))" }
    if let bad = picks.first(where: { labeled.contains($0.id) || pool.row(of: $0.id) == nil }) {
      return "picked \(bad.id)"
    }
    if zip(picks, picks.dropFirst()).contains(where: { $0.score < $1.score }) { return "scores not descending" }
    return nil
  }
}
