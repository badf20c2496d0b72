// Counters of one k-center greedy run: how many centers were swept over every row and how many
// were deferred, and what catching up with the deferred ones cost (for benchmarks and reports).

extension KCenterGreedy {
  /// What one `select` run did; the picks never depend on it.
  public struct Statistics: Sendable, Equatable {
    /// Centers swept over all rows when they were added (the first one, and with the eager loop all).
    public var sweptCenters = 0
    /// Centers that lowered a probe, swept over the rows with the largest bounds only.
    public var partialSweeps = 0
    /// Sweeps of those centers over further rows, when the largest bound fell to theirs.
    public var bandSweeps = 0
    /// Centers left waiting because no probed row came closer to them.
    public var deferredCenters = 0
    /// Waiting centers swept over all rows later, when catching up row by row cost too much.
    public var lateSweeps = 0
    /// Rows brought up to date with the waiting centers on reaching the top of the heap.
    public var refreshedRows = 0
    /// Single (row, waiting center) distances those refreshes evaluated.
    public var catchUpDistances = 0
    /// Single distances evaluated to decide whether to defer.
    public var probeDistances = 0

    public init() {}
  }

  /// `select(metric:labeled:budget:using:)` that also reports what the run did. With
  /// `deferCenters: false` every center is swept over every row at once (the plain loop, for
  /// benchmarks); the picks are the same either way.
  public static func select<M: CoresetMetric>(
    metric: M, labeled: [Int], budget: Int, deferCenters: Bool = true,
    statistics: inout Statistics,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    select(
      metric: metric, labeled: labeled, budget: budget,
      policy: deferCenters ? .automatic(count: metric.count) : .eager, statistics: &statistics, using: &rng)
  }
}
