// The Coreset strategies as `SelectionStrategy`s: k-center greedy (or its probabilistic
// variant) over raw pixels, over embeddings, or with the "ours" asymmetric distance.

/// Which distance a Coreset strategy measures.
public enum CoresetDistance: Sendable, Equatable {
  /// Euclidean on raw pixel rows (vanilla Coreset, spec §4.4).
  case pixels
  /// Euclidean on embeddings.
  case embeddings
  /// The "ours" asymmetric scribble-masked pixel term + embedding term (spec §4.2).
  case ours(OursDistanceConfiguration)
}

/// Greedy or softmax-sampled picking (spec §4.3 / §4.4).
public enum CoresetPicking: Sendable, Equatable {
  /// Argmax of the min distance (`kcenter_greedy`).
  case greedy
  /// Softmax sampling (`pkcenter_greedy`).
  case probabilistic(temperature: Float, schedule: TemperatureSchedule)
}

/// k-center greedy over the pool; scores are `budget − rank`.
public struct KCenterGreedySelection: SelectionStrategy {
  public let name: String
  /// The distance measured.
  public let distance: CoresetDistance
  /// Greedy or probabilistic.
  public let picking: CoresetPicking

  public init(name: String, distance: CoresetDistance, picking: CoresetPicking = .greedy) {
    self.name = name
    self.distance = distance
    self.picking = picking
  }

  /// This strategy with the "ours" pixel term switched to the published form (`faithful`) or the fixed
  /// one; nil for strategies that do not measure the "ours" distance.
  public func withFaithfulPixelTerm(_ faithful: Bool) -> KCenterGreedySelection? {
    guard case .ours(var configuration) = distance else { return nil }
    configuration.faithfulPixelTerm = faithful
    return KCenterGreedySelection(name: name, distance: .ours(configuration), picking: picking)
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let labeledRows = pool.labeledRows(labeled)
    switch distance {
    case .pixels:
      let pixels = try data.require(data.pixels, "pixels", for: name)
      try data.check(rows: pixels.rows, "pixels", pool: pool)
      return pick(EuclideanMetric(features: pixels), labeledRows, budget, &rng).rankedByOrder(in: pool)
    case .embeddings:
      let embeddings = try data.require(data.embeddings, "embeddings", for: name)
      try data.check(rows: embeddings.rows, "embeddings", pool: pool)
      return pick(EuclideanMetric(features: embeddings), labeledRows, budget, &rng).rankedByOrder(in: pool)
    case .ours(let configuration):
      let embeddings = try data.require(data.embeddings, "embeddings", for: name)
      let scribbles = try data.require(data.scribbles, "scribbles", for: name)
      let pixels: PixelColumns
      if let columns = data.pixelColumns {
        pixels = columns
      } else {
        let rows = try data.require(data.pixels, "pixels", for: name)
        try data.check(rows: rows.rows, "pixels", pool: pool)
        pixels = PixelColumns(transposing: rows)
      }
      try data.check(rows: pixels.slices, "pixelColumns", pool: pool)
      try data.check(rows: embeddings.rows, "embeddings", pool: pool)
      try data.check(rows: scribbles.slices, "scribbles", pool: pool)
      guard scribbles.pixels == pixels.pixels else {
        throw SelectionError(
          code: .shapeMismatch,
          message:
            "scribble masks have \(scribbles.pixels) pixels per slice but pixel rows \(pixels.pixels); resample both to the same size"
        )
      }
      let metric = OursMetric(
        pixels: pixels, embeddings: embeddings, scribbles: scribbles, configuration: configuration)
      return pick(metric, labeledRows, budget, &rng).rankedByOrder(in: pool)
    }
  }

  private func pick<M: CoresetMetric>(
    _ metric: M, _ labeled: [Int], _ budget: Int,
    _ rng: inout some RandomNumberGenerator
  ) -> [Int] {
    switch picking {
    case .greedy:
      return KCenterGreedy.select(metric: metric, labeled: labeled, budget: budget, using: &rng)
    case .probabilistic(let temperature, let schedule):
      return ProbabilisticKCenterGreedy.select(
        metric: metric, labeled: labeled, budget: budget,
        temperature: temperature, schedule: schedule, using: &rng)
    }
  }
}
