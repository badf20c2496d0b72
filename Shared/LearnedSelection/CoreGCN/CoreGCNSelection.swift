// CoreGCN as a `SelectionStrategy` (spec §5.10): random start while few slices are labeled, then a
// GCN trained to tell labeled from unlabeled nodes and k-center greedy on its features.

import ActiveLearning

/// CoreGCN on `SelectionData.embeddings` when present, else on `SelectionData.pixels`.
///
/// The published code feeds the previous round's segmentation-encoder features (round 0: raw
/// pixels); this selector has no segmentation model, so the caller passes embeddings (e.g. the
/// embedder's) or nothing but pixels. The graph is a dense N×N matrix (N = pool size), fine for
/// pools up to a few thousand slices (N = 3000 is 36 MB). Scores are `budget − rank` except in
/// `.faithful` indexing, where budget-filling rows score 0 (spec §1.5).
public struct CoreGCNSelection: SelectionStrategy {
  public let name: String
  public let configuration: CoreGCNConfiguration

  public init(name: String = "coregcn", configuration: CoreGCNConfiguration = .init()) {
    self.name = name
    self.configuration = configuration
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    try configuration.validate()
    let features = try features(pool: pool, data: data)
    let unlabeledRows = pool.unlabeledRows(labeled)
    let count = min(budget, unlabeledRows.count)
    guard count > 0 else { return [] }
    var labeledRows = pool.labeledRows(labeled)
    var randomStart: [Int] = []
    if labeledRows.count < configuration.startingSample {
      randomStart = SelectionInputs.randomRows(
        unlabeledRows, count: min(configuration.startingSample - labeledRows.count, count),
        using: &rng)
      labeledRows += randomStart
    }
    guard count > randomStart.count else { return randomStart.rankedByOrder(in: pool) }
    let taken = Set(randomStart)
    let run = CoreGCNRun.run(
      features: features, labeledRows: labeledRows, unlabeledRows: unlabeledRows.filter { !taken.contains($0) },
      budget: count - randomStart.count, configuration: configuration, using: &rng)
    return Self.picks(
      run: run, randomStart: randomStart, pool: pool, labeled: labeled, budget: count,
      indexing: configuration.indexing)
  }

  /// Turns a run's node positions into ranked pool slices after the random-start rows.
  /// `.fixed`: position → `run.nodeRows[position]`. `.faithful`: position used as the pool row; the
  /// combined list scores `n − rank` (first occurrence wins), every other row 0, and the ranked
  /// split drops `labeled` and takes `budget` (ties in pool order), as the published pipeline.
  public static func picks(
    run: CoreGCNRun, randomStart: [Int], pool: SelectionPool, labeled: Set<Int>, budget: Int,
    indexing: CoreGCNConfiguration.Indexing
  ) -> [RankedSlice] {
    switch indexing {
    case .fixed:
      return (randomStart + run.positions.map { run.nodeRows[$0] }).rankedByOrder(in: pool)
    case .faithful:
      let combined = randomStart + run.positions
      var score = [Double](repeating: 0, count: pool.count)
      for (rank, row) in combined.enumerated().reversed() { score[row] = Double(combined.count - rank) }
      let scored = (0..<pool.count).map { RankedSlice(id: pool.sliceIDs[$0], score: score[$0]) }
      return RankedSplit.top(scored, labeled: labeled, count: budget)
    }
  }

  /// `embeddings` when present, else `pixels`, checked against the pool.
  func features(pool: SelectionPool, data: SelectionData) throws(SelectionError) -> FeatureMatrix {
    if let embeddings = data.embeddings {
      try SelectionInputs.check(embeddings, "embeddings", pool: pool, strategy: name)
      return embeddings
    }
    if let pixels = data.pixels {
      try SelectionInputs.check(pixels, "pixels", pool: pool, strategy: name)
      return pixels
    }
    throw SelectionError(
      code: .missingData,
      message:
        "strategy '\(name)' needs SelectionData.embeddings or SelectionData.pixels (one row per pool slice); pass either"
    )
  }
}
