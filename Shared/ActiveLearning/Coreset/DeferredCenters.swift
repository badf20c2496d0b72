// Lazy folding for k-center greedy: a new center that lowers no probed row's distance is not
// swept over all N rows; it waits in a list, and a row catches up with the waiting centers only
// when it reaches the top of the candidate heap. Picks are exactly those of the eager sweep.

/// When k-center greedy defers a center instead of sweeping it over every row.
struct DeferralPolicy: Sendable {
  /// Rows probed per new center; the center is swept at once if it lowers any of them. 0 never defers.
  var probes: Int
  /// Rows brought up to date within one pick after which every waiting center is swept at once.
  var refreshLimit: Int
  /// Waiting centers per core when one row catches up (a thread wake-up costs a few distances).
  var centersPerCore = 16

  /// The default for a pool of `count` rows.
  static func automatic(count: Int) -> DeferralPolicy {
    DeferralPolicy(probes: 32, refreshLimit: max(64, count / 32))
  }

  /// Every center swept at once (the plain greedy loop).
  static let eager = DeferralPolicy(probes: 0, refreshLimit: 0)
}

/// The waiting centers, how many of them each row has folded in, and the heap of rows by bound.
///
/// Invariant: `state.minDistance[x]` is the minimum over every swept center and the first
/// `folded[x]` waiting ones, so it bounds `x`'s true distance from above. A heap top that has folded
/// every waiting center holds its true distance, which is at least every other row's bound (ties
/// go to the lower row): it is exactly the eager argmax.
struct DeferredCenters<M: CoresetMetric> {
  let metric: M
  let policy: DeferralPolicy
  private var waiting: [M.Center] = []
  private var folded: [Int32]
  private var heap = CandidateHeap()
  private var heapIsStale = true
  private var sweptAny = false
  /// What the run did so far.
  private(set) var statistics = KCenterGreedy.Statistics()

  init(metric: M, policy: DeferralPolicy) {
    self.metric = metric
    self.policy = policy
    folded = Array(repeating: 0, count: metric.count)
  }

  /// Adds center `index`: swept over all rows now, or left waiting if the probes show it lowers nobody.
  mutating func add(center index: Int, state: inout KCenterState) {
    let center = metric.prepareCenter(index)
    if sweptAny && policy.probes > 0 && !lowersAnyProbe(center, state) {
      waiting.append(center)
      statistics.deferredCenters += 1
      return
    }
    _ = state.update(center: center, metric: metric)
    statistics.sweptCenters += 1
    sweptAny = true
    heapIsStale = true
  }

  /// The next pick: the first untaken row with the largest distance to its nearest center.
  mutating func nextPick(state: inout KCenterState) -> Int {
    if heapIsStale {
      heap.rebuild(bounds: state.minDistance, taken: state.taken)
      heapIsStale = false
    }
    var refreshes = 0
    while true {
      precondition(!heap.isEmpty, "k-center greedy has no untaken row left")
      let x = heap.top
      let done = Int(folded[x])
      if done == waiting.count {
        heap.popTop(bounds: state.minDistance)
        return x
      }
      if refreshes >= policy.refreshLimit {
        sweepWaiting(state: &state)
        heap.rebuild(bounds: state.minDistance, taken: state.taken)
        refreshes = 0
        continue
      }
      state.minDistance[x] = catchUp(row: x, with: waiting[done...], bound: state.minDistance[x])
      folded[x] = Int32(waiting.count)
      heap.siftDownTop(bounds: state.minDistance)
      refreshes += 1
      statistics.refreshedRows += 1
      statistics.catchUpDistances += waiting.count - done
    }
  }

  /// `min(bound, d(row, c))` over `centers`; long lists are split over the cores (the minimum
  /// does not depend on the order, so the split never changes the result).
  private func catchUp(row x: Int, with centers: ArraySlice<M.Center>, bound: Float) -> Float {
    let metric = metric
    func nearest(_ part: ArraySlice<M.Center>) -> Float {
      var nearest = bound
      for center in part {
        let d = metric.distance(x, to: center, bound: nearest)
        nearest = min(nearest, d.isNaN ? 0 : d)
      }
      return nearest
    }
    let chunks = min(ProcessInfoLite.activeProcessorCount, centers.count / max(policy.centersPerCore, 1))
    guard chunks > 1 else { return nearest(centers) }
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: chunks) { results in
      let shared = UncheckedSendable(results)
      ParallelChunks.run(count: centers.count, chunks: chunks) { chunk, range in
        let part = centers[(centers.startIndex + range.lowerBound)..<(centers.startIndex + range.upperBound)]
        shared.value[chunk] = nearest(part)
      }
      return results.min()!
    }
  }

  /// Sweeps every waiting center over all rows (when catching up row by row costs too much).
  private mutating func sweepWaiting(state: inout KCenterState) {
    for center in waiting { _ = state.update(center: center, metric: metric) }
    statistics.lateSweeps += waiting.count
    waiting.removeAll()
    folded.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }

  /// Whether `center` lowers the bound of any of `policy.probes` evenly spaced untaken rows.
  private mutating func lowersAnyProbe(_ center: M.Center, _ state: KCenterState) -> Bool {
    let n = state.minDistance.count
    let step = max(1, n / policy.probes)
    for x in stride(from: step / 2, to: n, by: step) where !state.taken[x] {
      let bound = state.minDistance[x]
      let d = metric.distance(x, to: center, bound: bound)
      statistics.probeDistances += 1
      if (d.isNaN ? 0 : d) < bound { return true }
    }
    return false
  }
}
