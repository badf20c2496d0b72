// summary.json numbers on hand-computed cases: mean ± ddof=1 std over seeds, per-class
// values, cost, reported member choice, and the trapezoid AUC.

import Foundation
import Testing
@testable import Experiments

@Suite struct SummaryTests {
  func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
  }

  @Test func meanStdMatchesNumpyDdof1() {
    let stats = MeanStd([1, 2, 3, 4])
    #expect(close(stats.mean, 2.5))
    #expect(close(stats.std, 1.2909944487358056))  // numpy.std([1,2,3,4], ddof=1)
    #expect(MeanStd([0.3]).std == nil)
    #expect(MeanStd(mean: 0.81234, std: 0.01, count: 2).formatted() == "0.8123 ± 0.0100")
    #expect(MeanStd(mean: -0.5, std: nil, count: 1).formatted(digits: 2) == "-0.50 ± –")
  }

  @Test func trapezoid() {
    #expect(close(MeanStd.trapezoid(x: [0, 1, 3], y: [1, 3, 1]), 2 + 4))
    #expect(close(MeanStd.trapezoid(x: [0.5], y: [0.9]), 0))
  }

  @Test func reportedMemberHasBestValidationDice() {
    let members = [
      MemberMetrics(validationDice: 0.5, testClassDice: [0.1], testClassHD95: [1]),
      MemberMetrics(validationDice: 0.7, testClassDice: [0.2], testClassHD95: [2]),
      MemberMetrics(validationDice: 0.7, testClassDice: [0.3], testClassHD95: [3])
    ]
    #expect(RoundResult.reportedMember(members) == 1)
    let result = RoundResult(
      strategy: "s", seed: 0, round: 0, labeledSlices: 1, cumulativeFraction: 0.01,
      cost: AnnotationCost(slices: 1, pixels: 1, seconds: 1), members: members)
    #expect(result.classDice == [0.2] && result.classHD95 == [2])
  }

  @Test func aggregatesOverSeeds() throws {
    let summary = ReportFixtures.summary
    #expect(summary.strategies.map(\.strategy) == ["A", "B, pixels"])
    let a = summary.strategies[0]
    #expect(a.seeds == [0, 1])
    let r0 = a.rounds[0], r1 = a.rounds[1]
    #expect(close(r0.meanDice.mean, 0.65) && close(r0.meanDice.std, 0.05 * 2.0.squareRoot()))
    #expect(close(r1.meanDice.mean, 0.80) && close(r1.meanDice.std, 0.05 * 2.0.squareRoot()))
    #expect(close(r0.classDice[0].mean, 0.55) && close(r0.classDice[1].mean, 0.75))
    #expect(close(r0.meanHD95.mean, 15) && close(r0.meanHD95.std, 0))
    #expect(close(r0.classHD95[0].mean, 11) && close(r0.classHD95[0].std, 2.0.squareRoot()))
    #expect(close(r0.costSeconds.mean, 60) && close(r0.costSeconds.std, 200.0.squareRoot()))
    #expect(close(r1.labeledSlices.mean, 58) && close(r1.cumulativeFraction, 0.04))
    // AUC of the mean curve: 0.02 × (0.65 + 0.80) / 2; per seed 0.0155 and 0.0135.
    #expect(close(a.diceAUC, 0.0145))
    #expect(close(a.normalizedDiceAUC, 0.725))
    #expect(close(a.seedDiceAUC?.mean, 0.0145) && close(a.seedDiceAUC?.std, 0.001 * 2.0.squareRoot()))
    let b = summary.strategies[1]
    #expect(b.rounds[0].meanDice.std == nil)
    #expect(close(b.diceAUC, 0.02 * (0.5 + 0.65) / 2))
  }

  @Test func explicitOrderAndIncompleteSeeds() {
    var results = ReportFixtures.results
    results.removeAll { $0.strategy == "A" && $0.seed == 1 && $0.round == 1 }  // seed 1 interrupted
    let summary = ExperimentSummary(experiment: "x", results: results, order: ["B, pixels", "missing", "A"])
    #expect(summary.strategies.map(\.strategy) == ["B, pixels", "A"])
    let a = summary.strategies[1]
    #expect(a.rounds[1].meanDice.count == 1)
    #expect(a.seedDiceAUC?.count == 1)
    #expect(close(a.seedDiceAUC?.mean, 0.0155))
    #expect(summary.classNames == ["class1", "class2"])
  }

  @Test func jsonRoundTrips() throws {
    let data = ReportFixtures.summary.json()
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"diceAUC\""))
    #expect(try ExperimentSummary.decode(json: data) == ReportFixtures.summary)
  }
}
