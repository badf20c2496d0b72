// TypiClust: typicality against sklearn NearestNeighbors, the cluster-visiting selection loop
// against the NumPy re-implementation in Fixtures/typiclust.json, and seeded k-means.

import Testing
@testable import ActiveLearning
import Randomness

@Suite struct TypiClustTests {
  @Test func typicalityMatchesSklearn() throws {
    let f = try loadFixture("typiclust.json")
    let sets = try #require(f["sets"] as? [[String: Any]])
    for set in sets {
      let m = try set.int("rows")
      let features = FeatureMatrix(rows: m, columns: try set.int("columns"), values: try set.floats("features"))
      let scores = Typicality.scores(features, rows: Array(0..<m), kNN: try set.int("kNN"))
      let expected = try set.doubles("typicality")
      for i in 0..<m { #expect(isClose(scores[i], expected[i], rtol: 1e-4), "set of \(m), point \(i)") }
    }
  }

  @Test func selectionLoopMatchesReference() throws {
    let f = try loadFixture("typiclust.json")
    let n = try f.int("rows")
    let features = FeatureMatrix(rows: n, columns: try f.int("columns"), values: try f.floats("features"))
    let labeled = try f.ints("labeled").sorted()
    let unlabeled = (0..<n).filter { !labeled.contains($0) }
    var rng = SplitMix64(seed: 0)
    let picks = TypiClustSelection().selectFromClusters(
      assignments: try f.ints("assignments"), features: features, labeledRows: labeled,
      unlabeledRows: unlabeled, budget: try f.int("budget"), using: &rng)
    #expect(picks == (try f.ints("picks")))
  }

  @Test func kMeansIsSeededAndFindsSeparatedClusters() {
    // Three tight blobs of 10 points at distance 100 from each other.
    var rng = SplitMix64(seed: 8)
    var values: [Float] = []
    for i in 0..<30 { values += [Float(i % 3) * 100 + Float(rng.next() % 100) / 100, Float(rng.next() % 100) / 100] }
    let x = FeatureMatrix(rows: 30, columns: 2, values: values)
    var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
    let fit = KMeans.fit(x, k: 3, using: &a)
    #expect(fit == KMeans.fit(x, k: 3, using: &b))
    #expect(fit.clusterSizes.sorted() == [10, 10, 10])
    for i in 0..<30 { #expect(fit.assignments[i] == fit.assignments[i % 3]) }
  }

  @Test func strategyPicksUniqueUnlabeledTypicalSlices() throws {
    let data = RandomPoolData(slices: 60, side: 2, dims: 4, seed: 3)
    let pool = SelectionPool(sliceIDs: (0..<60).map { 1000 + $0 })
    let labeled: Set<Int> = [1000, 1007, 1030]
    let strategy = TypiClustSelection(minClusterSize: 2)
    let picks = try strategy.select(pool: pool, labeled: labeled, budget: 6, data: data.selectionData, seed: 5)
    #expect(picks.count == 6 && Set(picks.map(\.id)).count == 6)
    #expect(Set(picks.map(\.id)).isDisjoint(with: labeled))
    #expect(picks.map(\.score) == [6, 5, 4, 3, 2, 1])
    #expect(picks == (try strategy.select(pool: pool, labeled: labeled, budget: 6, data: data.selectionData, seed: 5)))
  }

  @Test func tinyClustersFallBackToRandomUnlabeled() {
    // All clusters have ≤ 5 members, so none survives the size filter.
    let features = FeatureMatrix(rows: 8, columns: 1, values: (0..<8).map(Float.init))
    var rng = SplitMix64(seed: 2)
    let picks = TypiClustSelection().selectFromClusters(
      assignments: [0, 0, 0, 1, 1, 1, 2, 2], features: features, labeledRows: [0],
      unlabeledRows: Array(1..<8), budget: 4, using: &rng)
    #expect(picks.count == 4 && Set(picks).count == 4 && !picks.contains(0))
  }
}

@Suite struct KMeansAssignTests {
  @Test(arguments: [(50, 7, 3), (1100, 16, 9)])  // (rows, dims, k): one partial and one full sgemm block
  func sgemmAssignmentMatchesNaive(rows: Int, dims: Int, k: Int) {
    let x = RandomPoolData(slices: rows, side: 1, dims: dims, seed: UInt64(rows)).embeddings
    var rng = SplitMix64(seed: 4)
    let centroids = (0..<(k * dims)).map { _ in Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1 }
    #expect(KMeans.assign(x, centroids: centroids, k: k) == KMeans.assignNaive(x, centroids: centroids, k: k))
  }
}
