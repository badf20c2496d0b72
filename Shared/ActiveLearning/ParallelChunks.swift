// Splits 0..<count into contiguous chunks, numbered, over TensorCore's `Parallel` (so `ComputeThreads.set`
// bounds the selector's threads as it bounds training's); the only place the module spawns parallel work.
import TensorCore

/// Parallel loop over contiguous, numbered index ranges.
enum ParallelChunks {
  /// Number of chunks used for `count` items of roughly `costPerItem` scalar operations each.
  static func chunkCount(_ count: Int, costPerItem: Int) -> Int {
    let minimumWork = 1 << 16  // below this, one thread is cheaper than waking another
    let byWork = max(1, (count * max(costPerItem, 1)) / minimumWork)
    return max(1, min(count, byWork, 8 * ComputeThreads.current))
  }

  /// Calls `body(chunkIndex, range)` for `chunks` near-equal ranges of `0..<count`, in parallel.
  static func run(count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(chunks, count))
    Parallel.forEach(chunks) { c in body(c, (c * count / chunks)..<((c + 1) * count / chunks)) }
  }
}
