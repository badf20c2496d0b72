// Schedule arithmetic against method-spec Table 1.2 and the §2.5 iteration budget.

import Testing
@testable import Experiments

@Suite struct ScheduleTests {
  // Table 1.2 columns: pool size → cumulative labeled slices for 1,2,3,4,5,10,15,20,40 %.
  static let table: [(Int, [Int])] = [
    (1454, [14, 29, 43, 58, 72, 145, 218, 290, 581]),
    (2351, [23, 47, 70, 94, 117, 235, 352, 470, 940]),
    (382, [3, 7, 11, 15, 19, 38, 57, 76, 152])
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

@Suite struct BudgetInputTests {
  static func definition(_ schedule: String) throws -> ExperimentDefinition {
    try ExperimentDefinition(yaml: "dataset: d\nstrategies: [random]\nschedule: \(schedule)\n")
  }

  @Test func budgetsAreFractionsOrPercentWithTheSign() throws {
    #expect(try Self.definition("{cumulative: ['2%', 5%, 0.1]}").schedule.cumulative == [0.02, 0.05, 0.1])
    #expect(
      try Self.definition("{increments: [2%, 3%]}").schedule.cumulative.map { ($0 * 1e6).rounded() } == [20_000, 50_000]
    )
    let bare = #expect(throws: ExperimentError.self) { try Self.definition("{cumulative: [2, 5, 10]}") }
    #expect(
      bare?.message.contains("'2%'") == true && bare?.path == "schedule.cumulative[0]", "\(String(describing: bare))")
    #expect(throws: ExperimentError.self) { try Self.definition("{cumulative: ['two%']}") }
  }

  @Test func aFirstRoundOfNoSliceIsRefusedWithTheCountAndTheSmallestBudgetThatWorks() throws {
    let tiny = try Self.definition("{cumulative: [0.001, 0.1]}")
    let error = #expect(throws: ExperimentError.self) { try tiny.checkBudgets(poolSize: 500) }
    #expect(error?.message.contains("0.1% of the 500-slice pool") == true, "\(String(describing: error))")
    #expect(error?.message.contains("500 × 0.001 = 0.5 → 0 slices") == true, "\(String(describing: error))")
    #expect(error?.message.contains("start the schedule at 0.2% (1 slice)") == true, "\(String(describing: error))")
    try tiny.checkBudgets(poolSize: 1000)
    for pool in [3, 7, 99, 1516, 20_000] {
      let smallest = (10_000 / Double(pool)).rounded(.up) / 10_000
      #expect(Int(Double(pool) * smallest) >= 1, "the suggested start labels a slice of \(pool)")
    }
    #expect(throws: ExperimentError.self) { try tiny.checkBudgets(poolSize: 0) }
  }
}
