// The pool's pixels, kept between Selects. Every round of every run of an experiment selects from the same pool,
// and at 256² fetching it from storage is most of a Select (2,000 slices are 524 MB per copy). One pool is kept,
// the last one asked for, under its slice ids and its dataset's identity (id and creation time: SQLite reuses the
// ids of deleted slices, so a re-imported dataset must not be served the old pixels). Selects of the same pool
// that arrive while it is fetched share the one fetch.
import ActiveLearning

actor PoolPixelCache {
  /// What identifies a pool's pixels.
  struct Key: Hashable, Sendable {
    let dataset: Int64
    /// The dataset's creation time (Unix ms).
    let created: Int64
    let ids: [Int64]
  }

  /// A pool's pixels, row-major and pixel-major, and each slice's size.
  struct Pool: Sendable {
    let pixels: FeatureMatrix
    let columns: PixelColumns
    let heights: [Int]
    let widths: [Int]

    var bytes: Int { 2 * 4 * pixels.values.count }
  }

  /// The most bytes one kept pool may take (both copies); a larger pool is fetched for every Select. 0 keeps none.
  let limitBytes: Int
  private var kept: (key: Key, pool: Task<Pool, any Error>)?
  /// Selects served from the kept pool, and those that fetched it.
  private(set) var hits = 0
  private(set) var fetches = 0

  init(limitBytes: Int) { self.limitBytes = limitBytes }

  /// The pool under `key`: the kept one, or `fetch`'s result (kept when it fits the limit).
  func pool(_ key: Key, fetch: @escaping @Sendable () async throws -> Pool) async throws -> (pool: Pool, cached: Bool) {
    if let kept, kept.key == key {
      hits += 1
      return (try await kept.pool.value, true)
    }
    fetches += 1
    guard limitBytes > 0 else { return (try await fetch(), false) }
    let task = Task { try await fetch() }
    kept = (key, task)
    do {
      let pool = try await task.value
      if pool.bytes > limitBytes, kept?.key == key { kept = nil }
      return (pool, false)
    } catch {
      if kept?.key == key { kept = nil }  // a failed fetch is not kept: the next Select tries again
      throw error
    }
  }
}
