// k-center greedy (spec §4.3): repeatedly pick the point farthest from all centers. Keeps one
// min-distance per point (memory linear in N) and updates it in parallel with each new center.

/// The greedy 2-approximation of `min_s max_x min_{c∈s} d(x, c)` over the rows of a metric.
public enum KCenterGreedy {
  /// Picks up to `budget` rows not in `labeled`, in selection order.
  ///
  /// With no labeled rows the first center is drawn uniformly from `rng`; every later pick is the
  /// first row (lowest index) with the largest distance to its nearest center. Labeled and already
  /// picked rows are never picked again, even when duplicates make their distance 0.
  /// A NaN distance counts as 0 (the candidate is treated as covered), so NaN never wins the argmax.
  public static func select<M: CoresetMetric>(metric: M, labeled: [Int], budget: Int,
                                              using rng: inout some RandomNumberGenerator) -> [Int] {
    let n = metric.count
    var state = KCenterState(count: n, labeled: labeled)
    let picks = min(max(budget, 0), state.available)
    var batch: [Int] = []
    batch.reserveCapacity(picks)
    var best = state.foldLabeled(labeled, metric: metric)
    for _ in 0..<picks {
      let index: Int
      if labeled.isEmpty && batch.isEmpty {
        index = state.randomAvailable(using: &rng)
      } else {
        index = best.index
      }
      precondition(index >= 0 && !state.taken[index], "k-center greedy picked row \(index) twice")
      state.taken[index] = true
      batch.append(index)
      best = state.update(center: metric.prepareCenter(index), metric: metric)
    }
    return batch
  }
}
