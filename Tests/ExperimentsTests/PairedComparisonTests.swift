// The paired bootstrap on cases with known answers: identical strategies, constant shifts, a shift
// on one seed, joint resampling of volumes, common seeds only, determinism, and the seeds-only fallback.

import Testing
@testable import Experiments

@Suite struct PairedComparisonTests {
  typealias F = PairedFixtures
  let tolerance = 1e-12

  func width(_ e: BootstrapEstimate) -> Double { e.ciHigh - e.ciLow }

  @Test func referenceIsRandomWhenPresentElseFirst() {
    #expect(PairedComparison.reference(among: ["ours", "random", "entropy"]) == "random")
    #expect(PairedComparison.reference(among: ["ours", "entropy"]) == "ours")
    #expect(PairedComparison.reference(among: []) == nil)
  }

  @Test func identicalStrategiesDifferByZeroWithZeroWidth() {
    let dice = F.noise(seeds: 5, rounds: 3, volumes: 8)
    let comparison = F.comparison(F.results("random", dice) + F.results("ours", dice))
    #expect(comparison.reference == "random")
    #expect(comparison.differences.count == 3)  // one per round, "ours" only
    for d in comparison.differences {
      #expect(d.strategy == "ours" && d.reference == "random")
      #expect(d.difference.value == 0 && d.difference.ciLow == 0 && d.difference.ciHigh == 0)
      #expect(d.difference.seeds == 5 && d.difference.volumes == 8)
    }
  }

  // dice[seed][round][volume] + d on every volume of every seed: difference d, interval [d, d].
  @Test(arguments: [0.05, -0.1, 0.0])
  func constantShiftGivesThePointInterval(d: Double) {
    let dice = F.noise(seeds: 5, rounds: 2, volumes: 6)
    let comparison = F.comparison(F.results("random", dice) + F.results("ours", F.shifted(dice, by: d)))
    for e in comparison.differences.map(\.difference) + [comparison.aubc[1].difference!] {
      #expect(abs(e.value - d) < tolerance)
      #expect(abs(e.ciLow - d) < tolerance && abs(e.ciHigh - d) < tolerance)
    }
  }

  @Test func shiftOnOneSeedGivesAnIntervalAroundZeroThatIsNotAPoint() {
    let dice = F.noise(seeds: 5, rounds: 1, volumes: 6)
    let comparison = F.comparison(F.results("random", dice) + F.results("ours", F.shifted(dice, by: 0.1, only: [0])))
    let e = comparison.differences[0].difference
    #expect(abs(e.value - 0.02) < tolerance)  // (0.1 + 0 + 0 + 0 + 0) / 5
    #expect(e.ciLow <= tolerance && e.ciHigh >= 0.02)  // P(seed 0 not drawn) = 0.8^5 ≈ 0.33 > 2.5 %
    #expect(width(e) > 0.01)
  }

  @Test func volumesAreResampledJointlyForBothStrategies() {
    // Large per-volume noise, identical for both strategies; "ours" is 0.05 better on every volume.
    let dice = F.noise(seeds: 3, rounds: 1, volumes: 20, low: 0, high: 1)
    let runs = F.results("random", dice) + F.results("ours", F.shifted(dice, by: 0.05))
    let paired = F.comparison(runs).differences[0].difference
    #expect(abs(paired.value - 0.05) < tolerance && width(paired) < tolerance)
    // The same draws with the reference not following the strategy's volumes: a wide interval.
    let reference = DiceRuns(results: F.results("random", dice)),
      ours = DiceRuns(results: F.results("ours", F.shifted(dice, by: 0.05)))
    let unpaired = Bootstrap().estimate(point: paired.value, seeds: 3, volumes: 20) { draw in
      draw.seeds.indices.reduce(0) { sum, k in
        let seed = UInt64(draw.seeds[k])
        return sum + ours.cell(seed, 0)!.value(draw.volumes(k)) - reference.cell(seed, 0)!.mean
      } / Double(draw.seeds.count)
    }
    #expect(width(unpaired) > 0.1)
  }

  @Test func onlySeedsBothStrategiesRanCount() {
    let dice = F.noise(seeds: 3, rounds: 1, volumes: 4)
    let ours = F.results("ours", [dice[1], dice[2]].map { $0.map { $0.map { $0 + 0.2 } } }, seeds: [1, 2])
    let comparison = F.comparison(F.results("random", dice) + ours)
    let e = comparison.differences[0].difference
    #expect(e.seeds == 2 && abs(e.value - 0.2) < tolerance)
    #expect(comparison.aubc[0].aubc.seeds == 3 && comparison.aubc[1].difference?.seeds == 2)
  }

  @Test func sameInputSameIntervalsAndTheSeedMatters() {
    let dice = F.noise(seeds: 4, rounds: 3, volumes: 5)
    let results = F.results("random", dice) + F.results("ours", F.noise(seeds: 4, rounds: 3, volumes: 5, seed: 8))
    let first = F.comparison(results), second = F.comparison(results.reversed())
    #expect(first == second)
    let reseeded = PairedComparison(results: results, strategies: ["random", "ours"], bootstrap: Bootstrap(seed: 1))
    #expect(reseeded.differences.map(\.difference.value) == first.differences.map(\.difference.value))
    #expect(reseeded.differences.map(\.difference.ciLow) != first.differences.map(\.difference.ciLow))
  }

  @Test func resultsWithoutVolumeDiceResampleSeedsOnly() {
    let old = ReportFixtures.results.map { r -> RoundResult in
      var r = r; r.strategy = r.strategy == "A" ? "random" : "ours"; return r
    }
    let comparison = F.comparison(old)
    let e = comparison.differences[1].difference  // round 1: seed 0 only in "ours": 0.65 − 0.85
    #expect(e.volumes == 0 && e.seeds == 1 && abs(e.value - -0.2) < tolerance)
    #expect(e.ciLow == e.value && e.ciHigh == e.value)
    #expect(e.formatted() == "-0.2000 (1 run: no CI)")
  }

  @Test func quantileInterpolatesLinearly() {
    #expect(abs(Bootstrap.quantile([0, 1, 2, 3, 4], 0.025) - 0.1) < tolerance)  // numpy.quantile
    #expect(abs(Bootstrap.quantile([0, 1, 2, 3, 4], 0.975) - 3.9) < tolerance)
    #expect(Bootstrap.quantile([0.5], 0.975) == 0.5)
  }
}
