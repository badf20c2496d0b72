// Schedule arithmetic against method-spec Table 1.2 and the §2.5 iteration budget.

import Testing
@testable import Experiments

@Suite struct ScheduleTests {
  // Table 1.2 columns: pool size → cumulative labeled slices for 1,2,3,4,5,10,15,20,40 %.
  static let table: [(Int, [Int])] = [
    (1454, [14, 29, 43, 58, 72, 145, 218, 290, 581]),
    (2351, [23, 47, 70, 94, 117, 235, 352, 470, 940]),
    (382, [3, 7, 11, 15, 19, 38, 57, 76, 152]),
  ]

  @Test(arguments: table)
  func codeLongMatchesTable(poolSize: Int, expected: [Int]) {
    let schedule = Schedule.named("code-long")!
    #expect(schedule.labeledCounts(poolSize: poolSize) == expected)
  }

  @Test(arguments: table)
  func paperScheduleMatchesTableFromTwoPercent(poolSize: Int, expected: [Int]) {
    #expect(Schedule.named("paper")!.labeledCounts(poolSize: poolSize) == Array(expected.dropFirst()))
  }

  @Test func acdcNewCountsPerRound() {
    let schedule = Schedule.named("code-long")!
    var labeled = 0
    var picks: [Int] = []
    for round in 0..<schedule.roundCount {
      let n = schedule.newCount(poolSize: 1454, round: round, labeledSoFar: labeled)
      picks.append(n)
      labeled += n
    }
    #expect(picks == [14, 15, 14, 15, 14, 73, 73, 72, 291])
    // A round that already labeled more than the target selects nothing.
    #expect(schedule.newCount(poolSize: 1454, round: 0, labeledSoFar: 20) == 0)
  }

  @Test func incrementsAccumulateInDoubleLikeTheCode() {
    let schedule = Schedule.named("code-long")!
    // Python: 0.05 + 0.05 + 0.05 accumulated after five 0.01 gives 0.15000000000000002.
    #expect(schedule.cumulative[6] != 0.15)
    #expect(abs(schedule.cumulative[6] - 0.15) < 1e-15)
    #expect(Schedule.named("ours-code")!.roundCount == 5)
    #expect(Schedule.named("nope") == nil)
  }

  @Test func trainingIterationsScaleWithFraction() {
    let schedule = Schedule.named("code-long")!
    let iterations = (0..<schedule.roundCount).map { schedule.trainingIterations(maxIterations: 60000, round: $0) }
    #expect(iterations == [600, 1200, 1800, 2400, 3000, 6000, 9000, 12000, 24000])
    #expect(Schedule(cumulative: [0.02, 0.4]).trainingIterations(maxIterations: 30000, round: 1) == 12000)
  }
}
