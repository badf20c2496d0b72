// Input checks and draws shared by the learned strategies: feature matrix shape and a seeded random
// subset of rows. The budget check and "rows in selection order → ranked slices" are ActiveLearning's.

import ActiveLearning

/// Validation and sampling helpers for the learned strategies.
enum SelectionInputs {
  /// Throws `shapeMismatch` unless `matrix` has one row per pool slice and at least one column.
  static func check(_ matrix: FeatureMatrix, _ field: String, pool: SelectionPool, strategy: String)
    throws(SelectionError)
  {
    guard matrix.rows == pool.count else {
      throw SelectionError(
        code: .shapeMismatch,
        message:
          "SelectionData.\(field) has \(matrix.rows) rows but the pool has \(pool.count) slices; pass one row per pool slice in pool order"
      )
    }
    guard matrix.columns > 0 else {
      throw SelectionError(
        code: .shapeMismatch,
        message: "SelectionData.\(field) has 0 columns; strategy '\(strategy)' needs at least one feature per slice")
    }
  }

  /// `count` seeded random rows from `rows` (a Fisher–Yates prefix), in draw order.
  static func randomRows(_ rows: [Int], count: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
    var shuffled = rows
    Shuffle.fisherYates(&shuffled, using: &rng)
    return Array(shuffled.prefix(max(0, count)))
  }
}
