// VAAL as a `SelectionStrategy` (spec §5.9): train the VAE + discriminator on the labeled and
// unlabeled slices, then pick the unlabeled slices the discriminator finds least "labeled".

import ActiveLearning

/// Variational adversarial active learning on raw pixels (`SelectionData.pixels`, square slices).
///
/// Picks the `budget` unlabeled slices with the lowest D(μ) (ties in pool order); each pick's score
/// is `1 − D(μ)` computed in Double from the logit. With no labeled slice (round 0) VAAL cannot
/// train, and, as the spec's yml does, the round is a seeded random split (scores `budget − rank`).
public struct VAALSelection: SelectionStrategy {
  public let name: String
  public let configuration: VAALConfiguration

  public init(name: String = "vaal", configuration: VAALConfiguration = .init()) {
    self.name = name
    self.configuration = configuration
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let (pixels, side) = try inputs(pool: pool, data: data)
    let unlabeledRows = pool.unlabeledRows(labeled)
    let labeledRows = pool.labeledRows(labeled)
    guard budget > 0, !unlabeledRows.isEmpty else { return [] }
    if labeledRows.isEmpty {
      return SelectionInputs.randomRows(unlabeledRows, count: budget, using: &rng).rankedByOrder(in: pool)
    }
    let model = VAALTrainer.train(
      pixels: pixels, side: side, labeledRows: labeledRows, unlabeledRows: unlabeledRows,
      configuration: configuration, using: &rng)
    let logits = model.discriminatorLogits(
      pixels: pixels, rows: unlabeledRows, batchSize: configuration.inferenceBatchSize)
    return Self.lowestFirst(logits: logits, rows: unlabeledRows, pool: pool, budget: budget)
  }

  /// Trains the model `select` would train for this request (same RNG use), without selecting.
  public func train(
    pool: SelectionPool, labeled: Set<Int>, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> VAALModel {
    let (pixels, side) = try inputs(pool: pool, data: data)
    let labeledRows = pool.labeledRows(labeled), unlabeledRows = pool.unlabeledRows(labeled)
    guard !labeledRows.isEmpty, !unlabeledRows.isEmpty else {
      throw SelectionError(
        code: .invalidArgument,
        message:
          "strategy '\(name)' trains on labeled and unlabeled slices; the request has \(labeledRows.count) labeled and \(unlabeledRows.count) unlabeled"
      )
    }
    return VAALTrainer.train(
      pixels: pixels, side: side, labeledRows: labeledRows, unlabeledRows: unlabeledRows,
      configuration: configuration, using: &rng)
  }

  /// The `budget` rows with the lowest discriminator logit (lowest D(μ)), stable, NaN last;
  /// scores are `1 − D(μ) = σ(−logit)` in Double. `logits[i]` belongs to `rows[i]`.
  public static func lowestFirst(logits: [Float], rows: [Int], pool: SelectionPool, budget: Int) -> [RankedSlice] {
    precondition(logits.count == rows.count, "lowestFirst got \(logits.count) logits for \(rows.count) rows")
    let order = logits.indices.sorted { a, b in
      let la = logits[a], lb = logits[b]
      if la.isNaN != lb.isNaN { return lb.isNaN }
      if la != lb && !la.isNaN { return la < lb }
      return a < b
    }
    return order.prefix(max(0, budget)).map {
      RankedSlice(id: pool.sliceIDs[rows[$0]], score: Sigmoid.value(-Double(logits[$0])))
    }
  }

  /// The pixel matrix and its side, or an error naming what is missing or malformed.
  func inputs(pool: SelectionPool, data: SelectionData) throws(SelectionError) -> (FeatureMatrix, Int) {
    guard let pixels = data.pixels else {
      throw SelectionError(
        code: .missingData,
        message:
          "strategy '\(name)' needs SelectionData.pixels (one square slice per pool row); compute it for every pool slice and pass it in"
      )
    }
    try SelectionInputs.check(pixels, "pixels", pool: pool, strategy: name)
    let side = Int(Double(pixels.columns).squareRoot().rounded())
    guard side * side == pixels.columns else {
      throw SelectionError(
        code: .shapeMismatch,
        message:
          "strategy '\(name)' needs square slices, but pixel rows have \(pixels.columns) values (not a square); resample the slices to side × side"
      )
    }
    try configuration.validate(side: side)
    return (pixels, side)
  }
}
