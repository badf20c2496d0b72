// k-center greedy (spec §4.3): repeatedly pick the point farthest from all centers. Keeps one
// min-distance per point (memory linear in N); a new center is swept over the points in parallel,
// or over the farthest ones only, or deferred when probes show it lowers nobody
// (`DeferredCenters`), always with the eager loop's picks.

/// The greedy 2-approximation of `min_s max_x min_{c∈s} d(x, c)` over the rows of a metric.
public enum KCenterGreedy {
  /// Picks up to `budget` rows not in `labeled`, in selection order.
  ///
  /// With no labeled rows the first center is drawn uniformly from `rng`; every later pick is the
  /// first row (lowest index) with the largest distance to its nearest center. Labeled and already
  /// picked rows are never picked again, even when duplicates make their distance 0.
  /// A NaN distance counts as 0 (the candidate is treated as covered), so NaN never wins the argmax.
  public static func select<M: CoresetMetric>(
    metric: M, labeled: [Int], budget: Int,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    var statistics = Statistics()
    return select(
      metric: metric, labeled: labeled, budget: budget, policy: .automatic(count: metric.count),
      statistics: &statistics, using: &rng)
  }

  /// `select` with an explicit deferral policy (`.eager` sweeps every center over every row).
  static func select<M: CoresetMetric>(
    metric: M, labeled: [Int], budget: Int, policy: DeferralPolicy,
    statistics: inout Statistics,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    var state = KCenterState(count: metric.count, labeled: labeled)
    let picks = min(max(budget, 0), state.available)
    var centers = DeferredCenters(metric: metric, policy: policy)
    var batch: [Int] = []
    batch.reserveCapacity(picks)
    for c in labeled { centers.add(center: c, state: &state) }
    for _ in 0..<picks {
      let index: Int
      if labeled.isEmpty && batch.isEmpty {
        index = state.randomAvailable(using: &rng)
      } else {
        index = centers.nextPick(state: &state)
      }
      precondition(index >= 0 && !state.taken[index], "k-center greedy picked row \(index) twice")
      state.taken[index] = true
      batch.append(index)
      if batch.count < picks { centers.add(center: index, state: &state) }  // the last center moves no pick
    }
    statistics = centers.statistics
    return batch
  }
}
