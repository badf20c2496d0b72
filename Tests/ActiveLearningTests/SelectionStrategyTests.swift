// Registry, random strategies, ranked split and the Coreset strategies' wiring (ids, scores,
// errors that name the missing data).

import Testing
@testable import ActiveLearning
import Randomness

@Suite struct SelectionStrategyTests {
  let pool = SelectionPool(sliceIDs: (0..<30).map { 500 - $0 })

  @Test func registryResolvesEveryNameAndRejectsUnknown() throws {
    for name in Strategies.names { #expect(try Strategies.named(name).name == name) }
    #expect(Set(Strategies.names).count == Strategies.names.count)
    #expect(throws: SelectionError.self) { try Strategies.named("vaal") }
  }

  @Test func missingDataErrorNamesTheField() {
    do {
      _ = try Strategies.named("ours").select(pool: pool, labeled: [], budget: 2, data: SelectionData(), seed: 0)
      Issue.record("expected missingData")
    } catch {
      #expect(error.code == .missingData)
      #expect(error.message.contains("embeddings"))
    }
  }

  @Test(arguments: ["coreset", "coreset-embedding", "ours", "ours-probabilistic", "random"])
  func geometryStrategiesReturnRankedUnlabeledIDs(name: String) throws {
    let data = RandomPoolData(slices: 30, side: 4, dims: 3, seed: 21).selectionData
    let labeled: Set<Int> = [500, 490, 480]
    let strategy = try Strategies.named(name)
    let picks = try strategy.select(pool: pool, labeled: labeled, budget: 5, data: data, seed: 77)
    #expect(picks.map(\.score) == [5, 4, 3, 2, 1])
    #expect(Set(picks.map(\.id)).count == 5)
    #expect(picks.allSatisfy { pool.row(of: $0.id) != nil && !labeled.contains($0.id) })
    #expect(picks == (try strategy.select(pool: pool, labeled: labeled, budget: 5, data: data, seed: 77)))
  }

  @Test func coresetStrategyMatchesTheEngine() throws {
    let data = RandomPoolData(slices: 30, side: 4, dims: 3, seed: 4)
    let picks = try Strategies.named("ours").select(
      pool: pool, labeled: [], budget: 4, data: data.selectionData, seed: 13)
    var rng = SplitMix64(seed: 13)
    let rows = KCenterGreedy.selectNaive(
      metric: OursMetric(pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles),
      labeled: [], budget: 4, using: &rng)
    #expect(picks.map(\.id) == rows.map { pool.sliceIDs[$0] })
  }

  @Test func probabilisticWithTinyTemperatureIsGreedy() {
    let data = RandomPoolData(slices: 30, side: 4, dims: 3, seed: 6)
    // 16 pixels and 3 dims give a fusion weight of √⌊0.1·16/3⌋ = 0, so set the embedding weight.
    let metric = OursMetric(
      pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
      configuration: OursDistanceConfiguration(embeddingWeight: 1))
    var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
    let greedy = KCenterGreedy.select(metric: metric, labeled: [3, 9], budget: 6, using: &a)
    let cold = ProbabilisticKCenterGreedy.select(
      metric: metric, labeled: [3, 9], budget: 6, temperature: 1e-7,
      schedule: .inverseIteration, using: &b)
    #expect(cold == greedy)
    var c = SplitMix64(seed: 2)
    let hot = ProbabilisticKCenterGreedy.select(
      metric: metric, labeled: [3, 9], budget: 28, temperature: 1e6, using: &c)
    #expect(hot.sorted() == (0..<30).filter { $0 != 3 && $0 != 9 }, "a full budget takes every unlabeled row once")
  }

  @Test func randomIsSeededUniformAndClamped() throws {
    let random = RandomSelection()
    let a = try random.select(pool: pool, labeled: [], budget: 10, data: SelectionData(), seed: 1)
    let b = try random.select(pool: pool, labeled: [], budget: 10, data: SelectionData(), seed: 2)
    #expect(a != b)
    let all = try random.select(pool: pool, labeled: [500, 499], budget: 100, data: SelectionData(), seed: 1)
    #expect(all.count == 28 && Set(all.map(\.id)).count == 28 && !all.contains { $0.id >= 499 })
    #expect(throws: SelectionError.self) {
      try random.select(pool: pool, labeled: [], budget: -1, data: SelectionData(), seed: 1)
    }
  }

  @Test func foregroundRandomPrefersForegroundSlices() throws {
    // 6 slices × 3 pixels; slices 1, 3, 4 show foreground (class 2), slice 5 only "unannotated" (4).
    let maps = ScribbleMasks(
      slices: 6, pixels: 3,
      labels: [0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 2, 2, 0, 0, 1, 4, 4, 4])
    let pool = SelectionPool(sliceIDs: [10, 11, 12, 13, 14, 15])
    let strategy = ForegroundRandomSelection()
    let picks = try strategy.select(pool: pool, labeled: [13], budget: 4, data: SelectionData(labelMaps: maps), seed: 3)
    #expect(Set(picks.prefix(2).map(\.id)) == [11, 14])
    #expect(picks.count == 4 && !picks.contains { $0.id == 13 })
    // From probabilities: slice 0 predicts background everywhere, slice 1 has one foreground pixel.
    let probabilities = ClassProbabilities(
      members: 1, slices: 2, classes: 2, pixels: 2,
      values: [0.9, 0.8, 0.1, 0.2, 0.9, 0.3, 0.1, 0.7])
    let fromProbs = try strategy.select(
      pool: SelectionPool(sliceIDs: [1, 2]), labeled: [], budget: 1,
      data: SelectionData(ensembleProbabilities: probabilities), seed: 0)
    #expect(fromProbs.map(\.id) == [2])
  }

  @Test func rankedSplitIsStableAndSkipsLabeled() {
    let scored = [
      RankedSlice(id: 1, score: 0.5), RankedSlice(id: 2, score: 0.9), RankedSlice(id: 3, score: 0.5),
      RankedSlice(id: 4, score: .nan), RankedSlice(id: 5, score: 0.9)
    ]
    #expect(RankedSplit.top(scored, labeled: [2], count: 3).map(\.id) == [5, 1, 3])
    #expect(RankedSplit.top(scored, count: 5, order: .ascending).map(\.id) == [1, 3, 2, 5, 4])
  }
}
