// The naive k-center greedy reference: every pick recomputes each point's distance to every
// center with the metric's literal formula, O(N·k) distance calls per pick. Tests hold the
// fast path to exactly these picks.

extension KCenterGreedy {
  /// Reference implementation of `select(metric:labeled:budget:using:)`; same picks, same RNG use.
  public static func selectNaive<M: CoresetMetric>(
    metric: M, labeled: [Int], budget: Int,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    let n = metric.count
    let state = KCenterState(count: n, labeled: labeled)
    var taken = state.taken
    let picks = min(max(budget, 0), state.available)
    var centers = labeled
    var batch: [Int] = []
    for _ in 0..<picks {
      var index = -1
      if centers.isEmpty {
        var pickState = state
        pickState.taken = taken
        index = pickState.randomAvailable(using: &rng)
      } else {
        var bestValue = -Float.infinity
        for i in 0..<n where !taken[i] {
          var nearest = Float.infinity
          for c in centers {
            var d = metric.referenceDistance(i, to: c)
            if d.isNaN { d = 0 }
            nearest = min(nearest, d)
          }
          if nearest > bestValue {
            bestValue = nearest
            index = i
          }
        }
      }
      taken[index] = true
      centers.append(index)
      batch.append(index)
    }
    return batch
  }

  /// The covering radius `max_x min_{c ∈ centers} d(x, c)` (reference formula; for tests and reports).
  public static func coveringRadius<M: CoresetMetric>(metric: M, centers: [Int]) -> Float {
    guard !centers.isEmpty else { return .infinity }
    var radius: Float = 0
    for i in 0..<metric.count {
      var nearest = Float.infinity
      for c in centers {
        var d = metric.referenceDistance(i, to: c)
        if d.isNaN { d = 0 }
        nearest = min(nearest, d)
      }
      radius = max(radius, nearest)
    }
    return radius
  }
}
