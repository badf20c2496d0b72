// The state k-center greedy carries between picks: each row's distance to its nearest center
// (memory linear in N) and which rows are taken; one parallel pass folds in a new center.

/// The running state of one k-center greedy run: min distance per row and the taken flags.
struct KCenterState {
  var minDistance: [Float]
  var taken: [Bool]
  private(set) var available: Int

  init(count: Int, labeled: [Int]) {
    minDistance = Array(repeating: .infinity, count: count)
    taken = Array(repeating: false, count: count)
    for row in labeled {
      precondition(row >= 0 && row < count, "labeled row \(row) is outside the pool of \(count)")
      taken[row] = true
    }
    available = taken.lazy.filter { !$0 }.count
  }

  /// A uniformly random untaken row.
  func randomAvailable(using rng: inout some RandomNumberGenerator) -> Int {
    var k = Int(Shuffle.uniform(below: UInt64(available), using: &rng))
    for (i, t) in taken.enumerated() where !t {
      if k == 0 { return i }
      k -= 1
    }
    preconditionFailure("no untaken row left")
  }

  /// Folds every labeled center into `minDistance`; returns the best untaken row.
  mutating func foldLabeled<M: CoresetMetric>(_ labeled: [Int], metric: M) -> (index: Int, value: Float) {
    var best = (index: -1, value: -Float.infinity)
    for c in labeled { best = update(center: metric.prepareCenter(c), metric: metric) }
    return best
  }

  /// `minDistance = min(minDistance, d(·, center))` in parallel; returns the first untaken argmax.
  /// Only rows with `from ≤ minDistance < below` are updated (`below = ∞` includes ∞); the others
  /// get bound −∞, so the metric may skip reading them, and the returned argmax covers the band only.
  mutating func update<M: CoresetMetric>(
    center: M.Center, metric: M, from: Float = -.infinity,
    below: Float = .infinity
  ) -> (index: Int, value: Float) {
    let n = minDistance.count
    let everyRow = from == -.infinity && below == .infinity
    // Chunks of at most `blockSize` candidates keep each chunk's distance buffer in L1/L2.
    let blockSize = 4096
    let chunks = min(
      n, max(ParallelChunks.chunkCount(n, costPerItem: metric.costPerDistance), (n + blockSize - 1) / blockSize))
    var bests = Array(repeating: (index: -1, value: -Float.infinity), count: max(chunks, 1))
    minDistance.withUnsafeMutableBufferPointer { minD in
      taken.withUnsafeBufferPointer { taken in
        bests.withUnsafeMutableBufferPointer { bests in
          let shared = UncheckedSendable((minD, taken, bests))
          ParallelChunks.run(count: n, chunks: chunks) { chunk, range in
            let (minD, taken, bests) = shared.value
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * range.count) { buffer in
              let d = UnsafeMutableBufferPointer(rebasing: buffer[0..<range.count])
              let bounds = UnsafeMutableBufferPointer(rebasing: buffer[range.count...])
              // Rows outside the band get bound −∞ and are not updated.
              for (k, i) in range.enumerated() {
                bounds[k] =
                  everyRow || (minD[i] >= from && (minD[i] < below || below == .infinity)) ? minD[i] : -.infinity
              }
              metric.distances(to: center, candidates: range, bounds: UnsafeBufferPointer(bounds), into: d)
              var bestIndex = -1, bestValue = -Float.infinity
              for (k, i) in range.enumerated() where everyRow || bounds[k] != -.infinity {
                let distance = d[k].isNaN ? 0 : d[k]
                let m = min(minD[i], distance)
                minD[i] = m
                if !taken[i] && m > bestValue {
                  bestValue = m
                  bestIndex = i
                }
              }
              bests[chunk] = (bestIndex, bestValue)
            }
          }
        }
      }
    }
    // Chunks are in index order, so a strict ">" keeps numpy's first-max rule.
    var best = (index: -1, value: -Float.infinity)
    for b in bests where b.index >= 0 && (best.index < 0 || b.value > best.value) { best = b }
    return best
  }
}
