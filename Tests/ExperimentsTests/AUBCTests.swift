// AUBC on known curves, its interval, and the degenerate one-seed one-volume case.

import Testing
@testable import Experiments

@Suite struct AUBCTests {
  // (x, y, normalised area): a rising curve, a flat one, one point, none.
  static let curves: [([Double], [Double], Double)] = [
    ([0.1, 0.2, 0.4], [0.5, 0.7, 0.7], (0.1 * 0.6 + 0.2 * 0.7) / 0.3),
    ([0.1, 0.4], [0.8, 0.8], 0.8),
    ([0.3], [0.65], 0.65)
  ]

  @Test(arguments: curves)
  func normalisedAreaOfAKnownCurve(x: [Double], y: [Double], area: Double) {
    #expect(abs(StrategyAUBC.normalizedArea(x: x, y: y) - area) < 1e-12)
  }

  @Test func noPointsHaveNoArea() {
    #expect(StrategyAUBC.normalizedArea(x: [], y: []).isNaN)
  }

  @Test func aubcOfMeanCurveOverSeeds() {
    // Seed 0: 0.5, 0.7, 0.7; seed 1: 0.7, 0.9, 0.9 → mean 0.6, 0.8, 0.8 at 10 %, 20 %, 40 %.
    let dice: [[[Double]]] = [[[0.4, 0.6], [0.7], [0.7]], [[0.7], [0.9], [0.8, 1.0]]]
    let a = PairedComparison(results: PairedFixtures.results("random", dice), strategies: ["random"]).aubc[0]
    #expect(a.strategy == "random" && a.difference == nil)
    #expect(abs(a.aubc.value - (0.1 * 0.7 + 0.2 * 0.8) / 0.3) < 1e-12)
    #expect(a.aubc.volumes == 0)  // volume counts differ between rounds: seeds only
    #expect(a.aubc.ciLow < a.aubc.value && a.aubc.value < a.aubc.ciHigh)
    // Two seeds: the 2.5 % and 97.5 % quantiles are the curves of seed 0 alone and of seed 1 alone.
    #expect(abs(a.aubc.ciLow - (0.1 * 0.6 + 0.2 * 0.7) / 0.3) < 1e-9)
    #expect(abs(a.aubc.ciHigh - (0.1 * 0.8 + 0.2 * 0.9) / 0.3) < 1e-9)
  }

  @Test func oneSeedOneVolumeDegeneratesToThePoint() {
    let results = PairedFixtures.results("random", [[[0.6], [0.8]]]) + PairedFixtures.results("ours", [[[0.7], [0.8]]])
    let comparison = PairedComparison(results: results, strategies: ["random", "ours"])
    let d = comparison.aubc[1].difference!
    #expect(abs(d.value - 0.05) < 1e-12 && d.ciLow == d.value && d.ciHigh == d.value)
    #expect(d.seeds == 1 && d.volumes == 1)
    #expect(d.formatted(signed: true) == "+0.0500 (1 run: no CI)")
    #expect(comparison.differences[0].difference.formatted(signed: true).hasPrefix("+0.1000"))
  }
}
