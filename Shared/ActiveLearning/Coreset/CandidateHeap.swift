// A binary max-heap of candidate rows keyed by an outside array of distance bounds, ordered the
// way numpy's argmax breaks ties: larger bound first, then the lower row.

/// Max-heap of rows ordered by `(bounds[row] descending, row ascending)`. The keys live in the
/// caller's array; after lowering the top row's key, call `siftDownTop`.
struct CandidateHeap {
  private var rows: [Int32] = []

  var isEmpty: Bool { rows.isEmpty }

  /// The first row in (bound desc, row asc) order.
  var top: Int { Int(rows[0]) }

  /// Rebuilds the heap from every row that is not taken, in O(N).
  mutating func rebuild(bounds: [Float], taken: [Bool]) {
    rows.removeAll(keepingCapacity: true)
    for (i, t) in taken.enumerated() where !t { rows.append(Int32(i)) }
    bounds.withUnsafeBufferPointer { keys in
      var i = rows.count / 2
      while i > 0 {
        i -= 1
        siftDown(i, keys)
      }
    }
  }

  /// Removes the top row.
  mutating func popTop(bounds: [Float]) {
    let last = rows.removeLast()
    guard !rows.isEmpty else { return }
    rows[0] = last
    bounds.withUnsafeBufferPointer { siftDown(0, $0) }
  }

  /// Restores the order after the top row's bound decreased.
  mutating func siftDownTop(bounds: [Float]) {
    bounds.withUnsafeBufferPointer { siftDown(0, $0) }
  }

  @inline(__always)
  private static func precedes(_ a: Int32, _ b: Int32, _ keys: UnsafeBufferPointer<Float>) -> Bool {
    let ka = keys[Int(a)], kb = keys[Int(b)]
    return ka > kb || (ka == kb && a < b)
  }

  private mutating func siftDown(_ start: Int, _ keys: UnsafeBufferPointer<Float>) {
    let count = rows.count
    rows.withUnsafeMutableBufferPointer { h in
      var i = start
      let item = h[i]
      while true {
        let left = 2 &* i &+ 1
        guard left < count else { break }
        var child = left
        if left &+ 1 < count && Self.precedes(h[left &+ 1], h[left], keys) { child = left &+ 1 }
        guard Self.precedes(h[child], item, keys) else { break }
        h[i] = h[child]
        i = child
      }
      h[i] = item
    }
  }
}
