// The pool a strategy selects from: slice ids in pool order (the order of every data matrix's
// rows), with the lookups that map a labeled id set to row indices.

/// The slices a strategy may rank. Row `i` of every matrix in `SelectionData` belongs to `sliceIDs[i]`.
public struct SelectionPool: Sendable, Equatable {
  /// Slice ids in pool order (the spec sorts the pool by file name; the caller fixes the order).
  public let sliceIDs: [Int]
  private let rowOfID: [Int: Int]

  /// A pool over `sliceIDs`; ids must be unique.
  public init(sliceIDs: [Int]) {
    var rowOfID: [Int: Int] = [:]
    rowOfID.reserveCapacity(sliceIDs.count)
    for (row, id) in sliceIDs.enumerated() {
      precondition(rowOfID.updateValue(row, forKey: id) == nil, "SelectionPool slice id \(id) appears twice")
    }
    self.sliceIDs = sliceIDs
    self.rowOfID = rowOfID
  }

  /// Number of slices.
  public var count: Int { sliceIDs.count }

  /// The row of slice `id`, or nil if it is not in the pool.
  public func row(of id: Int) -> Int? { rowOfID[id] }

  /// Rows of the labeled ids that are in the pool, ascending; ids outside the pool are ignored.
  public func labeledRows(_ labeled: Set<Int>) -> [Int] {
    labeled.compactMap { rowOfID[$0] }.sorted()
  }

  /// Rows not in `labeled`, in pool order.
  public func unlabeledRows(_ labeled: Set<Int>) -> [Int] {
    sliceIDs.indices.filter { !labeled.contains(sliceIDs[$0]) }
  }
}
