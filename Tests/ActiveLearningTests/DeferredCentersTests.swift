// Lazy k-center greedy (deferred centers, partial sweeps) against the eager sweep and the naive
// reference, the candidate heap's argmax order, and the one-candidate distance against the batch.

import Testing
@testable import ActiveLearning
import Randomness

@Suite struct DeferredCentersTests {
  /// Pools where pixel terms dwarf embedding terms, as in the benchmark: most scribbled centers are deferred.
  static let seeds: [UInt64] = [1, 2, 3]

  static func oursMetric(_ seed: UInt64) -> OursMetric {
    // 160 slices of 9×9 pixels (ten 16-row groups), 8-d embeddings.
    let data = RandomPoolData(slices: 160, side: 9, dims: 8, seed: seed)
    return OursMetric(
      pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
      configuration: OursDistanceConfiguration(embeddingWeight: 2))
  }

  /// Policies from never deferring to sweeping the waiting centers after a single refresh; the
  /// third splits every catch-up over the cores and sweeps the top 1/8 of the rows (the default
  /// from 8,192 rows on), the fourth sweeps every row of a center that lowers a probe (the default
  /// below), the last sweeps only the top 1/64 of the rows (many threshold lowerings).
  static let policies: [DeferralPolicy] = [
    .eager, .automatic(count: 160),
    DeferralPolicy(probes: 4, refreshLimit: 3, centersPerCore: 1, sweptFraction: 1.0 / 8),
    DeferralPolicy(probes: 32, refreshLimit: 64, sweptFraction: 1),
    DeferralPolicy(probes: 1, refreshLimit: 1, sweptFraction: 1.0 / 64)
  ]

  @Test(arguments: seeds)
  func deferredPicksEqualEagerAndNaive(seed: UInt64) {
    let metric = Self.oursMetric(seed)
    var total = KCenterGreedy.Statistics()
    for labeledCount in [0, 5] {
      let labeled = randomRows(metric.count, labeledCount, seed: seed &+ 7)
      var rngN = SplitMix64(seed: seed)
      let naive = KCenterGreedy.selectNaive(metric: metric, labeled: labeled, budget: 14, using: &rngN)
      for policy in Self.policies {
        var rng = SplitMix64(seed: seed)
        var statistics = KCenterGreedy.Statistics()
        let picks = KCenterGreedy.select(
          metric: metric, labeled: labeled, budget: 14, policy: policy,
          statistics: &statistics, using: &rng)
        #expect(picks == naive, "policy \(policy): \(picks) vs naive \(naive)")
        total.deferredCenters += statistics.deferredCenters
        total.lateSweeps += statistics.lateSweeps
        total.refreshedRows += statistics.refreshedRows
        total.partialSweeps += statistics.partialSweeps
        total.bandSweeps += statistics.bandSweeps
        if policy.probes == 0 { #expect(statistics.deferredCenters == 0 && statistics.refreshedRows == 0) }
        if policy.sweptFraction >= 1 { #expect(statistics.partialSweeps == 0 && statistics.bandSweeps == 0) }
      }
    }
    // The lazy paths must actually run, or this test checks nothing beyond the eager loop.
    #expect(total.deferredCenters > 0 && total.refreshedRows > 0 && total.lateSweeps > 0, "\(total)")
    #expect(total.partialSweeps > 0 && total.bandSweeps > 0, "\(total)")
  }

  @Test func deferredPicksEqualNaiveForEuclideanMetrics() {
    let data = RandomPoolData(slices: 90, side: 6, dims: 5, seed: 4)
    for metric in [EuclideanMetric(features: data.pixels), EuclideanMetric(features: data.embeddings, weight: 3)] {
      var a = SplitMix64(seed: 4), b = SplitMix64(seed: 4)
      var statistics = KCenterGreedy.Statistics()
      let picks = KCenterGreedy.select(
        metric: metric, labeled: [3, 50], budget: 12,
        policy: DeferralPolicy(probes: 2, refreshLimit: 2), statistics: &statistics, using: &a)
      #expect(picks == KCenterGreedy.selectNaive(metric: metric, labeled: [3, 50], budget: 12, using: &b))
    }
  }

  @Test func heapPopsInArgmaxOrderWithTiesToTheLowerRow() {
    var rng = SplitMix64(seed: 9)
    var keys = (0..<300).map { _ in Float(rng.next() % 12) }  // many ties
    var taken = (0..<300).map { _ in rng.next() % 7 == 0 }
    var heap = CandidateHeap()
    heap.rebuild(bounds: keys, taken: taken)
    var order: [Int] = []
    while !heap.isEmpty {
      let top = heap.top
      if rng.next() % 3 == 0 && keys[top] > 0 {  // lower the top's key now and then, as a refresh does
        keys[top] -= Float(1 + rng.next() % 3)
        heap.siftDownTop(bounds: keys)
        continue
      }
      // The top is the first argmax over the untaken rows, exactly numpy's rule.
      var best = -1
      for i in 0..<300 where !taken[i] && (best < 0 || keys[i] > keys[best]) { best = i }
      #expect(top == best, "heap top \(top) (key \(keys[top])) vs argmax \(best) (key \(keys[best]))")
      order.append(top)
      taken[top] = true
      heap.popTop(bounds: keys)
    }
    #expect(Set(order).count == order.count)
  }

  /// `distance(_:to:bound:)` must equal the batch value bit for bit below the bound, and stay ≥ it otherwise.
  func checkOneCandidate<M: CoresetMetric>(_ metric: M) {
    var rng = SplitMix64(seed: 5)
    let n = metric.count
    let infinite = [Float](repeating: .infinity, count: n)
    for c in 0..<n where c % 3 == 0 {
      let center = metric.prepareCenter(c)
      var batch = [Float](repeating: .nan, count: n)
      infinite.withUnsafeBufferPointer { b in
        batch.withUnsafeMutableBufferPointer { metric.distances(to: center, candidates: 0..<n, bounds: b, into: $0) }
      }
      for x in 0..<n {
        let exact = metric.distance(x, to: center, bound: .infinity)
        #expect(exact.bitPattern == batch[x].bitPattern, "d(\(x), \(c)): one \(exact) vs batch \(batch[x])")
        let bound = batch[x] * Float(0.5 + Double(rng.next() % 1000) / 1000)
        let bounded = metric.distance(x, to: center, bound: bound)
        if batch[x] < bound {
          #expect(bounded.bitPattern == batch[x].bitPattern, "d(\(x), \(c)) below its bound \(bound)")
        } else {
          #expect(bounded >= bound, "d(\(x), \(c)) = \(bounded) fell below its bound \(bound)")
        }
      }
    }
  }

  @Test func oneCandidateDistanceMatchesTheBatch() {
    let data = RandomPoolData(slices: 40, side: 11, dims: 70, seed: 6)
    checkOneCandidate(
      OursMetric(
        pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
        configuration: OursDistanceConfiguration(pixelWeight: 40, embeddingWeight: 1)))
    checkOneCandidate(
      OursMetric(
        pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
        configuration: OursDistanceConfiguration(
          pixelWeight: 3, labelWeight: 2, defaultWeight: 0.5,
          normalizeByLabelCount: false, embeddingWeight: 1.5)))
    checkOneCandidate(EuclideanMetric(features: data.embeddings, weight: 2))
  }

  /// 70 candidates: four 16-row groups and a tail of 6; 1,100: two strips of 64 groups and a tail of 12.
  @Test(arguments: [(70, 70), (1100, 4)])
  func prunedPixelGroupsStopEarlyAndStayAboveTheirBounds(slices: Int, centers: Int) {
    // Bounds at 30 % of the exact distance, so whole groups stop reading pixel columns.
    let data = RandomPoolData(slices: slices, side: 12, dims: 4, seed: 8)
    let metric = OursMetric(
      pixels: data.pixels, embeddings: data.embeddings, scribbles: data.scribbles,
      configuration: OursDistanceConfiguration(embeddingWeight: 1))
    var stopped = 0
    for c in 0..<centers {
      let center = metric.prepareCenter(c)
      let exact = (0..<slices).map { metric.distance($0, to: center, bound: .infinity) }
      let bounds = exact.map { $0 * 0.3 }
      var out = [Float](repeating: .nan, count: slices)
      bounds.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer { metric.distances(to: center, candidates: 0..<slices, bounds: b, into: $0) }
      }
      for x in 0..<slices {
        #expect(out[x] >= bounds[x], "d(\(x), \(c)) = \(out[x]) below its bound \(bounds[x])")
        if out[x] < exact[x] * 0.999 { stopped += 1 }
      }
    }
    #expect(stopped > 0, "some groups should stop reading pixel columns early")
  }
}
