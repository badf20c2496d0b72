// All embeddings of one encoder as a dense matrix.

/// Row `i` of `values` (length `dimension`) is the embedding of slice `sliceIds[i]`; rows are in slice-id order.
public struct EmbeddingMatrix: Sendable, Equatable {
  public var sliceIds: [Int64]
  public var dimension: Int
  /// `(sliceIds.count, dimension)` row-major.
  public var values: [Float]
}
