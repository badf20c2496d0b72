// Splits a loop over independent items across cores (llm.c puts `#pragma omp parallel for` here).

import Dispatch

/// Runs independent loop bodies on several threads.
public enum Parallel {
  /// Calls `body(i)` for every `i` in `0..<count`, spread over the cores; bodies must touch disjoint memory.
  public static func forEach(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 || ComputeThreads.current == 1 {
      for i in 0..<count { body(i) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UnsafeSendableBox(body)
      DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
    }
  }

  /// Calls `body(range)` for contiguous chunks covering `0..<count` (one chunk per thread, at least `minimumChunk`
  /// elements each), for element-wise loops; bodies must touch disjoint memory.
  public static func forChunks(_ count: Int, minimumChunk: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(ComputeThreads.current, count / max(1, minimumChunk)))
    if chunks == 1 {
      body(0..<count)
      return
    }
    let size = (count + chunks - 1) / chunks
    forEach(chunks) { k in body((k * size)..<min(count, (k + 1) * size)) }
  }
}

/// Carries a non-Sendable closure into `concurrentPerform`; callers guarantee disjoint writes.
struct UnsafeSendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
