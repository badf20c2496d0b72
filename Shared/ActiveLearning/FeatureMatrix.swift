// A dense row-major matrix of Float features, one row per pool slice: pixels, embeddings,
// or anything else a strategy measures distances on.

/// `rows × columns` Float values, row-major; row `i` belongs to the pool's `i`-th slice.
public struct FeatureMatrix: Sendable, Equatable {
  /// Number of rows (slices).
  public let rows: Int
  /// Number of values per row.
  public let columns: Int
  /// The values, `values[i * columns + j]`. // (rows, columns)
  public let values: [Float]

  /// Wraps `values`; its count must be `rows * columns`.
  public init(rows: Int, columns: Int, values: [Float]) {
    precondition(rows >= 0 && columns >= 0, "FeatureMatrix needs non-negative sizes, got \(rows)×\(columns)")
    precondition(
      values.count == rows * columns,
      "FeatureMatrix \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
    self.rows = rows
    self.columns = columns
    self.values = values
  }

  /// Stacks equally long rows.
  public init(rowArrays: [[Float]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "FeatureMatrix rows must all have \(columns) values")
    self.init(rows: rowArrays.count, columns: columns, values: rowArrays.flatMap { $0 })
  }

  /// A copy of row `i`.
  public func row(_ i: Int) -> ArraySlice<Float> {
    values[(i * columns)..<((i + 1) * columns)]
  }
}
