// Splits 0..<count into contiguous chunks and runs them on DispatchQueue.concurrentPerform;
// the only place the module spawns parallel work.

import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Parallel loop over contiguous index ranges.
enum ParallelChunks {
  /// Number of chunks used for `count` items of roughly `costPerItem` scalar operations each.
  static func chunkCount(_ count: Int, costPerItem: Int) -> Int {
    let minimumWork = 1 << 16  // below this, one thread is cheaper than waking another
    let byWork = max(1, (count * max(costPerItem, 1)) / minimumWork)
    return max(1, min(count, byWork, 8 * max(1, ProcessInfoLite.activeProcessorCount)))
  }

  /// Calls `body(chunkIndex, range)` for `chunks` near-equal ranges of `0..<count`, in parallel.
  static func run(count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(chunks, count))
    if chunks == 1 {
      body(0, 0..<count)
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        box.value(c, (c * count / chunks)..<((c + 1) * count / chunks))
      }
    }
  }
}

/// Processor count without Foundation.
enum ProcessInfoLite {
  static let activeProcessorCount: Int = {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 2
    #endif
  }()
}
