// Shared plumbing of the uncertainty strategies: score every unlabeled slice (in parallel over
// slices), then apply the ranked split of spec §1.5.

/// Helpers shared by the uncertainty strategies.
enum UncertaintySelection {
  /// Scores each unlabeled pool row with `score(row)`, in pool order, as `RankedSlice`s.
  static func scoreUnlabeled(
    pool: SelectionPool, labeled: Set<Int>, costPerSlice: Int,
    _ score: @Sendable (Int) -> Double
  ) -> [RankedSlice] {
    let rows = pool.unlabeledRows(labeled)
    var scores = [Double](repeating: 0, count: rows.count)
    scores.withUnsafeMutableBufferPointer { out in
      let shared = UncheckedSendable(out)
      ParallelChunks.run(count: rows.count, chunks: ParallelChunks.chunkCount(rows.count, costPerItem: costPerSlice)) {
        _, range in
        for i in range { shared.value[i] = score(rows[i]) }
      }
    }
    return zip(rows, scores).map { RankedSlice(id: pool.sliceIDs[$0], score: $1) }
  }

  /// Throws unless `probabilities` has one slice per pool row.
  static func check(
    _ probabilities: ClassProbabilities, _ field: String, pool: SelectionPool,
    data: SelectionData
  ) throws(SelectionError) {
    try data.check(rows: probabilities.slices, field, pool: pool)
  }
}
