// Input checks and result helpers shared by the learned strategies: budget, feature matrix
// presence and shape, and "rows in selection order → ranked slices".

import ActiveLearning

/// Validation and ranking helpers for the learned strategies (ActiveLearning's own are internal).
enum SelectionInputs {
  /// Throws `invalidArgument` for a negative budget.
  static func checkBudget(_ budget: Int, strategy: String) throws(SelectionError) {
    guard budget >= 0 else {
      throw SelectionError(code: .invalidArgument, message: "strategy '\(strategy)' got budget \(budget); pass a budget ≥ 0")
    }
  }

  /// Throws `shapeMismatch` unless `matrix` has one row per pool slice and at least one column.
  static func check(_ matrix: FeatureMatrix, _ field: String, pool: SelectionPool, strategy: String) throws(SelectionError) {
    guard matrix.rows == pool.count else {
      throw SelectionError(code: .shapeMismatch,
                           message: "SelectionData.\(field) has \(matrix.rows) rows but the pool has \(pool.count) slices; pass one row per pool slice in pool order")
    }
    guard matrix.columns > 0 else {
      throw SelectionError(code: .shapeMismatch,
                           message: "SelectionData.\(field) has 0 columns; strategy '\(strategy)' needs at least one feature per slice")
    }
  }

  /// Pool rows in selection order → ranked slices scored `count − position` (spec §1.5).
  static func rankedByOrder(_ rows: [Int], in pool: SelectionPool) -> [RankedSlice] {
    rows.enumerated().map { RankedSlice(id: pool.sliceIDs[$0.element], score: Double(rows.count - $0.offset)) }
  }

  /// `count` seeded random rows from `rows` (a Fisher–Yates prefix), in draw order.
  static func randomRows(_ rows: [Int], count: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
    var shuffled = rows
    SeededDraws.shuffle(&shuffled, using: &rng)
    return Array(shuffled.prefix(max(0, count)))
  }
}
