// The one protocol every active-learning strategy implements: pool + labeled set + budget +
// data + seeded RNG in, ranked slice ids with scores out.
import Randomness

/// An active-learning selection strategy. Implementations are deterministic for a given RNG state.
public protocol SelectionStrategy: Sendable {
  /// The registry name (see `Strategies`).
  var name: String { get }

  /// Ranks up to `budget` unlabeled slices of `pool`, best first; never returns a labeled or repeated id.
  /// Returns fewer than `budget` only when fewer unlabeled slices exist.
  func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice]
}

extension SelectionStrategy {
  /// Same as `select(pool:labeled:budget:data:using:)` with a fresh `SplitMix64(seed:)`.
  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    seed: UInt64
  ) throws(SelectionError) -> [RankedSlice] {
    var rng = SplitMix64(seed: seed)
    return try select(pool: pool, labeled: labeled, budget: budget, data: data, using: &rng)
  }

  /// Throws `invalidArgument` for a negative budget.
  public func checkBudget(_ budget: Int) throws(SelectionError) {
    guard budget >= 0 else {
      throw SelectionError(
        code: .invalidArgument, message: "strategy '\(name)' got budget \(budget); pass a budget ≥ 0")
    }
  }
}

extension Array where Element == Int {
  /// Turns selected pool rows (in selection order) into ranked slices scored `count − position` (spec §1.5).
  public func rankedByOrder(in pool: SelectionPool) -> [RankedSlice] {
    enumerated().map { RankedSlice(id: pool.sliceIDs[$0.element], score: Double(count - $0.offset)) }
  }
}
