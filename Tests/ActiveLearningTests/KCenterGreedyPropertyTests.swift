// Property tests for k-center greedy over seeded random data (house style 24): unique picks
// disjoint from the labeled set, a covering radius that never grows with the budget, same seed
// same picks, and the fast path equal to the naive reference for every metric.

import Testing
@testable import ActiveLearning
import Randomness

@Suite struct KCenterGreedyPropertyTests {
  enum MetricKind: String, CaseIterable, Sendable { case pixels, embeddings, ours, oursWeighted }

  /// (seed, metric) over 4 seeds × 4 metrics; data: 30 slices of 17×17 pixels (two 256-column
  /// summation blocks), 5-d embeddings.
  static let cases: [(UInt64, MetricKind)] = (1...4).flatMap { s in MetricKind.allCases.map { (UInt64(s), $0) } }

  func check<M: CoresetMetric>(_ metric: M, seed: UInt64) {
    let n = metric.count
    for labeledCount in [0, 1, 4] {
      let labeled = randomRows(n, labeledCount, seed: seed &+ 99)
      var previousRadius = Float.infinity
      var previousPicks: [Int] = []
      for budget in [1, 2, 5, 9] {
        var rngA = SplitMix64(seed: seed), rngB = SplitMix64(seed: seed), rngC = SplitMix64(seed: seed)
        let picks = KCenterGreedy.select(metric: metric, labeled: labeled, budget: budget, using: &rngA)
        let again = KCenterGreedy.select(metric: metric, labeled: labeled, budget: budget, using: &rngB)
        let naive = KCenterGreedy.selectNaive(metric: metric, labeled: labeled, budget: budget, using: &rngC)
        #expect(picks.count == budget)
        #expect(Set(picks).count == picks.count, "picks repeat: \(picks)")
        #expect(Set(picks).isDisjoint(with: labeled), "picks \(picks) hit labeled \(labeled)")
        #expect(picks == again, "same seed, different picks")
        #expect(picks == naive, "fast \(picks) vs naive \(naive)")
        #expect(Array(picks.prefix(previousPicks.count)) == previousPicks, "a larger budget must extend the batch")
        let radius = KCenterGreedy.coveringRadius(metric: metric, centers: labeled + picks)
        #expect(
          radius <= previousRadius * (1 + 1e-6), "radius grew from \(previousRadius) to \(radius) at budget \(budget)")
        previousRadius = radius
        previousPicks = picks
      }
    }
  }

  @Test(arguments: cases)
  func invariantsHold(seed: UInt64, kind: MetricKind) {
    let data = RandomPoolData(slices: 30, side: 17, dims: 5, seed: seed)
    switch kind {
    case .pixels: check(EuclideanMetric(features: data.pixels), seed: seed)
    case .embeddings: check(EuclideanMetric(features: data.embeddings), seed: seed)
    case .ours:
      // An explicit embedding weight keeps the test independent of the fusion rule.
      check(
        OursMetric(
          pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
          configuration: OursDistanceConfiguration(embeddingWeight: 2)), seed: seed)
    case .oursWeighted:
      let configuration = OursDistanceConfiguration(
        pixelWeight: 3, labelWeight: 2, defaultWeight: 0.5,
        normalizeByLabelCount: false, embeddingWeight: 1.5)
      check(
        OursMetric(
          pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
          configuration: configuration), seed: seed)
    }
  }

  @Test func fastDistanceMatchesReference() {
    let data = RandomPoolData(slices: 20, side: 7, dims: 6, seed: 11)
    let metric = OursMetric(pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles)
    for c in 0..<20 {
      let center = metric.prepareCenter(c)
      for x in 0..<20 {
        let fast = Double(metric.distance(x, to: center)), slow = Double(metric.referenceDistance(x, to: c))
        #expect(isClose(fast, slow, rtol: 1e-4, atol: 1e-4), "d(\(x), \(c)): \(fast) vs \(slow)")
      }
    }
  }

  /// Checks `distances(to:candidates:bounds:into:)` with bounds of 0.5–1.5 × the exact distance:
  /// exact below the bound, never below it otherwise; returns how many sums stopped early.
  func checkBounds<M: CoresetMetric>(_ metric: M) -> Int {
    var rng = SplitMix64(seed: 2)
    var stopped = 0
    let n = metric.count
    for c in 0..<n {
      let center = metric.prepareCenter(c)
      let exact = (0..<n).map { Double(metric.referenceDistance($0, to: c)) }
      let bounds = exact.map { Float($0 * (0.5 + Double(rng.next() % 1000) / 1000)) }
      var out = [Float](repeating: .nan, count: n)
      bounds.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { metric.distances(to: center, candidates: 0..<n, bounds: b, into: $0) }
      }
      for x in 0..<n {
        if exact[x] < Double(bounds[x]) * (1 - 1e-4) {
          #expect(isClose(Double(out[x]), exact[x], rtol: 1e-4, atol: 1e-4), "d(\(x), \(c)) below its bound")
        } else {
          #expect(Double(out[x]) >= Double(bounds[x]) * (1 - 1e-5), "d(\(x), \(c)) must stay ≥ its bound")
          if !isClose(Double(out[x]), exact[x], rtol: 1e-4, atol: 1e-4) { stopped += 1 }
        }
      }
    }
    return stopped
  }

  @Test func earlyExitRespectsBounds() {
    // 200-d embeddings and 625 pixels span several summation blocks, so sums can stop mid-way.
    let data = RandomPoolData(slices: 24, side: 25, dims: 200, seed: 17)
    let ours = OursMetric(
      pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
      configuration: OursDistanceConfiguration(pixelWeight: 50, embeddingWeight: 1))
    #expect(checkBounds(ours) > 0, "some embedding sums should stop early")
    #expect(checkBounds(EuclideanMetric(features: data.pixels)) > 0, "some pixel sums should stop early")
    _ = checkBounds(EuclideanMetric(features: data.embeddings, weight: 2))
  }

  @Test func differentSeedsChangeTheFirstPick() {
    let metric = EuclideanMetric(features: RandomPoolData(slices: 50, side: 2, dims: 3, seed: 5).embeddings)
    let firsts = Set(
      (0..<8).map { s -> Int in
        var rng = SplitMix64(seed: UInt64(s))
        return KCenterGreedy.select(metric: metric, labeled: [], budget: 1, using: &rng)[0]
      })
    #expect(firsts.count > 1, "the first center must depend on the seed")
  }

  @Test func budgetBeyondPoolTakesEveryUnlabeledRowOnce() {
    let metric = EuclideanMetric(features: FeatureMatrix(rows: 6, columns: 1, values: [0, 0, 0, 1, 1, 5]))
    var rng = SplitMix64(seed: 3)
    let picks = KCenterGreedy.select(metric: metric, labeled: [0], budget: 10, using: &rng)
    #expect(picks.sorted() == [1, 2, 3, 4, 5])
    #expect(picks.first == 5)
  }
}
