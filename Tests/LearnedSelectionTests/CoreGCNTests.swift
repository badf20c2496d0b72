// CoreGCN: the graph normalisation and loss on hand cases, determinism, the strategy contract,
// the random start, what the two indexing modes return, and input errors.

import ActiveLearning
import Randomness
import TensorCore
import Testing
import TestSupport
@testable import LearnedSelection

@Suite struct CoreGCNTests {
  static let configuration = CoreGCNConfiguration(hiddenUnits: 8, epochs: 30)
  static let pool = ToyPools.pool(30)
  static let features = ToyPools.features(rows: 30, columns: 12, seed: 50)
  /// 12 labeled rows (more than the starting sample of 10).
  static let labeled = Set([0, 2, 3, 7, 9, 11, 14, 18, 21, 22, 26, 29].map(ToyPools.id))

  @Test func adjacencyMatchesAHandComputedCase() {
    // rows (2,0), (0,3), (3,4) normalise to (1,0), (0,1), (.6,.8); A = XXᵀ − I has columns summing to
    // .6, .8, 1.4, so Â = [[1, 0, 3/7], [0, 1, 4/7], [1, 1, 1]]
    let x = GCNAdjacency.l2Normalized(Tensor(shape: [3, 2], data: [2, 0, 0, 3, 3, 4]))
    #expect(Approx.equal(x.data, [1, 0, 0, 1, 0.6, 0.8], rtol: 1e-6, atol: 1e-7))
    let a = GCNAdjacency.normalized(x)
    #expect(Approx.equal(a.data, [1, 0, 3.0 / 7, 0, 1, 4.0 / 7, 1, 1, 1], rtol: 1e-5, atol: 1e-6))
    #expect(Approx.equal(GCNAdjacency.l2Normalized(Tensor(shape: [1, 2], data: [0, 0])).data, [0, 0]))
  }

  @Test func lossMatchesAHandComputedCase() {
    // −(ln .9 + ln .7)/2 − 1.2·(ln .8 + ln .5)/2
    let scores = Tensor(shape: [4, 1], data: [0.9, 0.2, 0.5, 0.7])
    let (loss, grad) = CoreGCNLoss.loss(scores: scores, labeled: [0, 3], unlabeled: [1, 2], lambda: 1.2)
    #expect(abs(loss - 0.7807921686) < 1e-6)
    #expect(abs(grad.data[0] - Float(-0.5 / 0.9)) < 1e-6 && abs(grad.data[1] - Float(0.6 / 0.8)) < 1e-6)
    #expect(
      abs(CoreGCNLoss.loss(scores: scores, labeled: [], unlabeled: [1], lambda: 2).loss - (-2 * _log(0.8))) < 1e-6)
  }

  @Test func sameSeedSamePicksAndContractHolds() throws {
    ComputeThreads.set(1)
    let strategy = CoreGCNSelection(configuration: Self.configuration)
    let data = SelectionData(pixels: Self.features)
    let a = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 6, data: data, seed: 4)
    let b = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 6, data: data, seed: 4)
    #expect(a.map(\.id) == b.map(\.id) && Approx.equal(scores(a), scores(b), rtol: 0, atol: 0))
    #expect(ToyPools.violation(a, pool: Self.pool, labeled: Self.labeled, budget: 6) == nil)
    let all = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 50, data: data, seed: 4)
    #expect(ToyPools.violation(all, pool: Self.pool, labeled: Self.labeled, budget: 50) == nil)
    #expect(try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 0, data: data, seed: 4).isEmpty)
  }

  @Test func fixedPicksAreTheRunsNodesInKCenterOrder() throws {
    ComputeThreads.set(1)
    var configuration = Self.configuration
    configuration.startingSample = 0
    let picks = try CoreGCNSelection(configuration: configuration)
      .select(
        pool: Self.pool, labeled: Self.labeled, budget: 5, data: SelectionData(embeddings: Self.features), seed: 8)
    var rng = SplitMix64(seed: 8)
    let run = CoreGCNRun.run(
      features: Self.features, labeledRows: Self.pool.labeledRows(Self.labeled),
      unlabeledRows: Self.pool.unlabeledRows(Self.labeled), budget: 5, configuration: configuration,
      using: &rng)
    #expect(run.nodeRows.count == 30 && Set(run.nodeRows) == Set(0..<30) && run.unlabeledCount == 18)
    #expect(Set(run.nodeRows.suffix(12)) == Set(Self.pool.labeledRows(Self.labeled)))
    #expect(run.nodeRows.prefix(18).map { $0 } != Self.pool.unlabeledRows(Self.labeled))  // permuted
    #expect(run.positions.allSatisfy { $0 < 18 })
    #expect(picks.map(\.id) == run.positions.map { ToyPools.id(run.nodeRows[$0]) })
    #expect(Approx.equal(scores(picks), [5, 4, 3, 2, 1]))
    #expect(run.losses.last! < run.losses.first!)
    let meanLabeled = run.labeledPositions.reduce(Float(0)) { $0 + run.scores[$1] } / 12
    let meanUnlabeled = (0..<18).reduce(Float(0)) { $0 + run.scores[$1] } / 18
    #expect(meanLabeled > meanUnlabeled)
  }

  @Test func indexingModesMapPositionsAsDescribed() {
    // pool rows 0..<8, rows 1 and 3 labeled; nodes = 6 permuted unlabeled rows, then the labeled rows
    let pool = ToyPools.pool(8)
    let labeled: Set<Int> = [ToyPools.id(1), ToyPools.id(3)]
    let run = CoreGCNRun(
      nodeRows: [6, 0, 4, 2, 5, 7, 1, 3], unlabeledCount: 6, positions: [3, 0, 5],
      scores: Array(repeating: 0.5, count: 8), losses: [])
    let fixed = CoreGCNSelection.picks(
      run: run, randomStart: [], pool: pool, labeled: labeled, budget: 3, indexing: .fixed)
    #expect(fixed.map(\.id) == [2, 6, 7].map(ToyPools.id) && Approx.equal(scores(fixed), [3, 2, 1]))
    // faithful: positions 3, 0, 5 read as pool rows; row 3 is labeled and dropped; row 2 (score 0) fills
    let faithful = CoreGCNSelection.picks(
      run: run, randomStart: [], pool: pool, labeled: labeled, budget: 3, indexing: .faithful)
    #expect(faithful.map(\.id) == [0, 5, 2].map(ToyPools.id) && Approx.equal(scores(faithful), [2, 1, 0]))
    // random-start rows come first in both modes; a position equal to one of them is not repeated
    let withStart = CoreGCNSelection.picks(
      run: run, randomStart: [4], pool: pool, labeled: labeled, budget: 4, indexing: .faithful)
    #expect(withStart.map(\.id) == [4, 0, 5, 2].map(ToyPools.id))
    let fixedStart = CoreGCNSelection.picks(
      run: run, randomStart: [4], pool: pool, labeled: labeled, budget: 4, indexing: .fixed)
    #expect(fixedStart.map(\.id) == [4, 2, 6, 7].map(ToyPools.id))
  }

  @Test func faithfulAndFixedDifferEndToEnd() throws {
    ComputeThreads.set(1)
    var faithful = Self.configuration
    faithful.indexing = .faithful
    let data = SelectionData(pixels: Self.features)
    let a = try CoreGCNSelection(configuration: faithful).select(
      pool: Self.pool, labeled: Self.labeled, budget: 6, data: data, seed: 2)
    let b = try CoreGCNSelection(configuration: Self.configuration).select(
      pool: Self.pool, labeled: Self.labeled, budget: 6,
      data: data, seed: 2)
    #expect(ToyPools.violation(a, pool: Self.pool, labeled: Self.labeled, budget: 6) == nil)
    #expect(a.map(\.id) != b.map(\.id))
  }

  @Test func randomStartWhileFewAreLabeled() throws {
    ComputeThreads.set(1)
    let strategy = CoreGCNSelection(configuration: Self.configuration)
    let labeled = Set([5, 12, 20].map(ToyPools.id))
    let data = SelectionData(pixels: Self.features)
    let unlabeledRows = Self.pool.unlabeledRows(labeled)
    // budget within the starting sample: every pick is the seeded random draw
    let small = try strategy.select(pool: Self.pool, labeled: labeled, budget: 4, data: data, seed: 6)
    var rng = SplitMix64(seed: 6)
    #expect(small.map(\.id) == SelectionInputs.randomRows(unlabeledRows, count: 4, using: &rng).map(ToyPools.id))
    // larger budget: 7 random picks (10 − 3), then GCN picks
    let large = try strategy.select(pool: Self.pool, labeled: labeled, budget: 11, data: data, seed: 6)
    rng = SplitMix64(seed: 6)
    #expect(
      Array(large.prefix(7)).map(\.id)
        == SelectionInputs.randomRows(unlabeledRows, count: 7, using: &rng).map(ToyPools.id))
    #expect(ToyPools.violation(large, pool: Self.pool, labeled: labeled, budget: 11) == nil)
    // nothing labeled and no random start: k-center's first center is random, then greedy
    var noStart = Self.configuration
    noStart.startingSample = 0
    let fresh = try CoreGCNSelection(configuration: noStart).select(
      pool: Self.pool, labeled: [], budget: 5, data: data, seed: 6)
    #expect(ToyPools.violation(fresh, pool: Self.pool, labeled: [], budget: 5) == nil)
  }

  @Test func readsEmbeddingsBeforePixelsAndNamesMissingData() {
    let strategy = CoreGCNSelection(configuration: Self.configuration)
    let wrong = ToyPools.features(rows: 29, columns: 4, seed: 1)
    do {
      _ = try strategy.select(
        pool: Self.pool, labeled: Self.labeled, budget: 2,
        data: SelectionData(pixels: Self.features, embeddings: wrong), seed: 1)
      Issue.record("mis-shaped embeddings did not throw")
    } catch {
      #expect(error.code == .shapeMismatch && error.message.contains("embeddings"))
    }
    do {
      _ = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 2, data: SelectionData(), seed: 1)
      Issue.record("missing features did not throw")
    } catch {
      #expect(error.code == .missingData && error.message.contains("embeddings") && error.message.contains("pixels"))
    }
    #expect(throws: SelectionError.self) {
      try CoreGCNSelection(configuration: CoreGCNConfiguration(dropout: 1)).select(
        pool: Self.pool, labeled: Self.labeled, budget: 2, data: SelectionData(pixels: Self.features), seed: 1)
    }
    #expect(throws: SelectionError.self) {
      try strategy.select(
        pool: Self.pool, labeled: Self.labeled, budget: -3, data: SelectionData(pixels: Self.features), seed: 1)
    }
  }
}

/// Scores as Floats, for tolerant comparison.
func scores(_ picks: [RankedSlice]) -> [Float] { picks.map { Float($0.score) } }

@Suite struct LearnedStrategiesTests {
  @Test func registryNamesAndDefaults() {
    #expect(LearnedStrategies.names == ["vaal", "coregcn"])
    #expect((LearnedStrategies.all[0] as? VAALSelection)?.configuration.discriminatorUnlabeledTarget == .fixed)
    #expect((LearnedStrategies.all[1] as? CoreGCNSelection)?.configuration.indexing == .fixed)
    #expect(Set(LearnedStrategies.names).isDisjoint(with: Strategies.names))
  }
}
