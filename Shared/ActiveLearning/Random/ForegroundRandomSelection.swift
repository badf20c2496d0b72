// Foreground-aware random: a seeded random sample among unlabeled slices whose revealed or
// predicted mask contains foreground; other slices only fill the budget when those run out.

/// Random among slices with foreground. The mask comes from `labelMaps` (any value other than
/// `background` and the map's `unannotated`), else from the ensemble's mean softmax argmax.
public struct ForegroundRandomSelection: SelectionStrategy {
  public let name: String
  /// The background class (0).
  public let background: UInt8

  public init(name: String = "foreground-random", background: UInt8 = 0) {
    self.name = name
    self.background = background
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let hasForeground = try foregroundFlags(pool: pool, data: data)
    let rows = pool.unlabeledRows(labeled)
    var foreground = rows.filter { hasForeground[$0] }
    var rest = rows.filter { !hasForeground[$0] }
    Shuffle.fisherYates(&foreground, using: &rng)
    Shuffle.fisherYates(&rest, using: &rng)
    return Array((foreground + rest).prefix(budget)).rankedByOrder(in: pool)
  }

  /// Per pool row: does its mask contain a foreground pixel?
  func foregroundFlags(pool: SelectionPool, data: SelectionData) throws(SelectionError) -> [Bool] {
    if let maps = data.labelMaps {
      try data.check(rows: maps.slices, "labelMaps", pool: pool)
      return (0..<maps.slices).map { s in
        maps.labels[(s * maps.pixels)..<((s + 1) * maps.pixels)].contains { $0 != background && $0 != maps.unannotated }
      }
    }
    guard let probabilities = data.ensembleProbabilities else {
      throw SelectionError(
        code: .missingData,
        message:
          "strategy '\(name)' needs SelectionData.labelMaps or ensembleProbabilities to tell which slices show foreground"
      )
    }
    try data.check(rows: probabilities.slices, "ensembleProbabilities", pool: pool)
    let c = probabilities.classes, p = probabilities.pixels
    return (0..<probabilities.slices).map { s in
      let mean = UncertaintyScores.memberMean(probabilities, slice: s)  // (classes, pixels)
      for px in 0..<p {
        var arg = 0
        for k in 1..<max(c, 1) where mean[k * p + px] > mean[arg * p + px] { arg = k }
        if arg != Int(background) { return true }
      }
      return false
    }
  }
}
