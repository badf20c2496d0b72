// Lazy folding for k-center greedy: a new center that lowers no probed row's distance is not
// swept at all; it waits in a list, and a row catches up with the waiting centers only when it
// reaches the top of the candidate heap. A center that does lower a probe is swept over the rows
// with the largest bounds only (1/8 of them); the rest fold it in only if the largest bound ever
// falls to theirs. Picks are exactly those of the eager sweep.
import TensorCore

/// When k-center greedy defers a center instead of sweeping it over every row.
struct DeferralPolicy: Sendable {
  /// Rows probed per new center; the center is swept at once if it lowers any of them. 0 never defers.
  var probes: Int
  /// Rows brought up to date within one pick after which every waiting center is swept at once.
  var refreshLimit: Int
  /// Waiting centers per core when one row catches up (a thread wake-up costs a few distances).
  var centersPerCore = 16
  /// Fraction of the untaken rows (those with the largest bounds) that a center lowering a probe
  /// is swept over; the rest fold it in only if the largest bound ever falls to theirs. 1 sweeps all.
  var sweptFraction = 1.0 / 8

  /// The default for a pool of `count` rows. Below 8,192 rows a full sweep is cheap (its data
  /// stays in cache) and partial sweeps cost more than they save (N = 1,454 ran 2× slower with them).
  static func automatic(count: Int) -> DeferralPolicy {
    DeferralPolicy(probes: 32, refreshLimit: max(64, count / 32), sweptFraction: count >= 8192 ? 1.0 / 8 : 1)
  }

  /// Every center swept at once (the plain greedy loop).
  static let eager = DeferralPolicy(probes: 0, refreshLimit: 0, sweptFraction: 1)
}

/// The waiting centers, how many of them each row has folded in, and the heap of rows by bound.
///
/// Invariant: `state.minDistance[x]` is the minimum over every fully swept center, the first
/// `folded[x]` waiting ones, and (at least when it is ≥ `threshold`) every center in `aboveOnly`, so
/// it bounds `x`'s true distance from above. Bounds only fall, so a row now at or above `threshold`
/// was above it at every partial sweep and has folded all of `aboveOnly`. A heap top at or above
/// `threshold` that has folded every waiting center holds its true distance, which is at least every
/// other row's bound (ties go to the lower row): it is exactly the eager argmax.
struct DeferredCenters<M: CoresetMetric> {
  let metric: M
  let policy: DeferralPolicy
  private var waiting: [M.Center] = []
  private var folded: [Int32]
  private var heap = CandidateHeap()
  private var heapIsStale = true
  private var sweptAny = false
  /// Centers swept only over the rows whose bound was at least `threshold`.
  private var aboveOnly: [M.Center] = []
  /// Rows below it may not have folded `aboveOnly` yet; it only ever falls.
  private var threshold = Float.infinity
  /// Fraction of the untaken rows at or above `threshold` when it was set; doubles at each lowering.
  private var fraction: Double
  /// What the run did so far.
  private(set) var statistics = KCenterGreedy.Statistics()

  init(metric: M, policy: DeferralPolicy) {
    self.metric = metric
    self.policy = policy
    fraction = policy.sweptFraction
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
    heapIsStale = true
    if sweptAny && policy.sweptFraction < 1 {
      if aboveOnly.isEmpty { threshold = boundQuantile(state) }
      _ = state.update(center: center, metric: metric, from: threshold)
      aboveOnly.append(center)
      statistics.partialSweeps += 1
      return
    }
    _ = state.update(center: center, metric: metric)
    statistics.sweptCenters += 1
    sweptAny = true
  }

  /// The bound above which `fraction` of the untaken rows lie.
  private func boundQuantile(_ state: KCenterState) -> Float {
    var bounds: [Float] = []
    bounds.reserveCapacity(state.available)
    for (i, t) in state.taken.enumerated() where !t { bounds.append(state.minDistance[i]) }
    guard !bounds.isEmpty else { return -.infinity }
    let rank = min(bounds.count, max(1, Int(Double(bounds.count) * fraction)))
    bounds.sort(by: >)
    return bounds[rank - 1]
  }

  /// Lowers `threshold` once the largest bound fell below it: the rows between the new and the old
  /// threshold fold every `aboveOnly` center (folding one twice changes nothing).
  private mutating func lowerThreshold(state: inout KCenterState) {
    let old = threshold
    fraction = min(1, 2 * fraction)  // after log2(1 / sweptFraction) lowerings every row is swept
    threshold = boundQuantile(state)
    for center in aboveOnly { _ = state.update(center: center, metric: metric, from: threshold, below: old) }
    statistics.bandSweeps += aboveOnly.count
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
      if state.minDistance[x] < threshold && !aboveOnly.isEmpty {
        // Every row is now below the threshold and may miss some `aboveOnly` centers.
        lowerThreshold(state: &state)
        heap.rebuild(bounds: state.minDistance, taken: state.taken)
        continue
      }
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
    let chunks = min(ComputeThreads.current, centers.count / max(policy.centersPerCore, 1))
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
