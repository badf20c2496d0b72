// Ensemble entropy, variance ratio and BALD against the NumPy fixtures, and the strategies
// built on them (ranked split, labeled exclusion, stochastic batches).

import Testing
@testable import ActiveLearning

@Suite struct UncertaintyTests {
  func ensemble() throws -> (ClassProbabilities, [String: Any]) {
    let f = try loadFixture("ensemble.json")
    let probabilities = ClassProbabilities(
      members: try f.int("members"), slices: try f.int("slices"),
      classes: try f.int("classes"), pixels: try f.int("pixels"),
      values: try f.floats("values"))
    return (probabilities, f)
  }

  @Test func entropyAndVarianceRatioMatchNumPy() throws {
    let (probabilities, f) = try ensemble()
    let entropy = try f.doubles("entropy"), ratio = try f.doubles("varianceRatio")
    for s in 0..<probabilities.slices {
      #expect(isClose(UncertaintyScores.ensembleEntropy(probabilities, slice: s), entropy[s]), "entropy slice \(s)")
      #expect(isClose(UncertaintyScores.varianceRatio(probabilities, slice: s), ratio[s]), "ratio slice \(s)")
    }
    #expect(abs(UncertaintyScores.varianceRatio(probabilities, slice: 4)) < 1e-12, "agreeing members give 0")
  }

  @Test func baldMatchesNumPy() throws {
    let f = try loadFixture("bald.json")
    let models = try f.int("models"), t = try f.int("passes"), s = try f.int("slices")
    let c = try f.int("classes"), p = try f.int("pixels")
    let values = try f.floats("values")
    let block = t * s * c * p
    let perModel = (0..<models).map { m in
      ClassProbabilities(
        members: t, slices: s, classes: c, pixels: p, values: Array(values[(m * block)..<((m + 1) * block)]))
    }
    let expectedPerModel = try #require(f["perModel"] as? [[Double]]), mean = try f.doubles("mean")
    for slice in 0..<s {
      for m in 0..<models {
        #expect(isClose(UncertaintyScores.bald(perModel[m], slice: slice), expectedPerModel[m][slice]))
      }
      #expect(isClose(UncertaintyScores.ensembleBALD(perModel, slice: slice), mean[slice]))
    }
    let pool = SelectionPool(sliceIDs: [10, 11, 12, 13])
    let picks = try BALDSelection().select(
      pool: pool, labeled: [12], budget: 2,
      data: SelectionData(dropoutProbabilities: perModel), seed: 0)
    let order = [0, 1, 3].sorted { mean[$0] > mean[$1] }.prefix(2).map { pool.sliceIDs[$0] }
    #expect(picks.map(\.id) == order)

    // The stored form (mean softmax + mean pass entropy per model) scores and picks the same.
    let summaries = perModel.map(DropoutSummary.init(passes:))
    for slice in 0..<s {
      #expect(isClose(UncertaintyScores.ensembleBALD(summaries, slice: slice), mean[slice]))
      #expect(
        abs(
          UncertaintyScores.ensembleBALD(summaries, slice: slice)
            - UncertaintyScores.ensembleBALD(perModel, slice: slice)) < 1e-6)
    }
    let fromSummaries = try BALDSelection().select(
      pool: pool, labeled: [12], budget: 2,
      data: SelectionData(dropoutSummaries: summaries), seed: 0)
    #expect(fromSummaries.map(\.id) == order)
  }

  @Test(arguments: ["entropy", "variance-ratio"])
  func strategiesRankUnlabeledByScore(name: String) throws {
    let (probabilities, f) = try ensemble()
    let scores = try f.doubles(name == "entropy" ? "entropy" : "varianceRatio")
    let pool = SelectionPool(sliceIDs: [100, 101, 102, 103, 104])
    let labeled: Set<Int> = [Array(0..<5).max { scores[$0] < scores[$1] }!].map { pool.sliceIDs[$0] }.reduce(into: []) {
      $0.insert($1)
    }
    let picks = try Strategies.named(name).select(
      pool: pool, labeled: labeled, budget: 3,
      data: SelectionData(ensembleProbabilities: probabilities), seed: 1)
    let expected = (0..<5).filter { !labeled.contains(pool.sliceIDs[$0]) }.sorted { scores[$0] > scores[$1] }.prefix(3)
    #expect(picks.map(\.id) == expected.map { pool.sliceIDs[$0] })
    for pick in picks { #expect(isClose(pick.score, scores[pool.row(of: pick.id)!])) }
  }

  @Test func stochasticBatchesScoreGroupsByMeanEntropy() throws {
    // 22 slices (20 unlabeled = 4 groups of 5), identical-pixel synthetic probabilities with a distinct entropy per slice.
    let s = 22, c = 2
    var values: [Float] = []
    for slice in 0..<s { let q = Float(slice + 1) / Float(2 * s + 2); values += [q, 1 - q] }
    let probabilities = ClassProbabilities(members: 1, slices: s, classes: c, pixels: 1, values: values)
    let pool = SelectionPool(sliceIDs: Array(0..<s))
    let data = SelectionData(ensembleProbabilities: probabilities)
    let strategy = StochasticBatchesSelection(batchSize: 5)
    let picks = try strategy.select(pool: pool, labeled: [0, 1], budget: 7, data: data, seed: 42)
    #expect(picks == (try strategy.select(pool: pool, labeled: [0, 1], budget: 7, data: data, seed: 42)))
    #expect(picks.count == 7 && Set(picks.map(\.id)).count == 7 && !picks.contains { $0.id < 2 })
    // The first 5 picks form one whole group: same score, equal to the mean of their entropies.
    let first = picks.prefix(5)
    let mean = first.reduce(0) { $0 + UncertaintyScores.ensembleEntropy(probabilities, slice: $1.id) } / 5
    for p in first { #expect(isClose(p.score, mean)) }
    #expect(picks[5].score <= picks[4].score)
    // With groups of one it is plain entropy ranking.
    let single = try StochasticBatchesSelection(batchSize: 1).select(
      pool: pool, labeled: [], budget: 4, data: data, seed: 9)
    let plain = try EnsembleScoreSelection.entropy.select(pool: pool, labeled: [], budget: 4, data: data, seed: 9)
    #expect(single.map(\.id) == plain.map(\.id))
  }
}
