// The round state machine: step lists per strategy, resume from persisted state, and
// property tests over seeded random strategies, schedules and interruption points.

import Randomness
import Testing
@testable import Experiments

@Suite struct RoundPlanTests {
  @Test func stepsDependOnStrategyAndRound() {
    let ours = RoundPlan(strategy: .ours, roundCount: 3)
    #expect(ours.steps(round: 0) == [.embed, .select, .annotate, .train, .evaluate])
    #expect(ours.steps(round: 1) == [.select, .annotate, .train, .evaluate])
    let entropy = RoundPlan(strategy: .entropy, roundCount: 3)
    #expect(entropy.steps(round: 0) == [.select, .annotate, .train, .evaluate, .score])
    #expect(entropy.steps(round: 2) == [.select, .annotate, .train, .evaluate])
    #expect(RoundPlan(strategy: .random, roundCount: 2).allSteps.count == 8)
    #expect(RoundPlan(strategy: .foregroundRandom, roundCount: 2).steps(round: 0).last == .score)
    #expect(RoundPlan(strategy: .bald, roundCount: 1).allSteps.map(\.kind) == [.select, .annotate, .train, .evaluate])
  }

  @Test func randomSelectionRounds() throws {
    #expect(RoundPlan(strategy: .random, roundCount: 3).selectsRandomly(round: 2))
    #expect(RoundPlan(strategy: .bald, roundCount: 3).selectsRandomly(round: 0))
    #expect(!RoundPlan(strategy: .bald, roundCount: 3).selectsRandomly(round: 1))
    #expect(!RoundPlan(strategy: .ours, roundCount: 3).selectsRandomly(round: 0))
    #expect(RoundPlan(strategy: .foregroundRandom, roundCount: 3).selectsRandomly(round: 0))
    #expect(!RoundPlan(strategy: .foregroundRandom, roundCount: 3).selectsRandomly(round: 1))
    let vaal = try ExperimentDefinition(yaml: "dataset: a\nstrategies: [vaal]\ninitial: random\n")
    let plan = vaal.roundPlan(for: vaal.strategies[0])
    #expect(plan.selectsRandomly(round: 0) && !plan.selectsRandomly(round: 1))
  }

  @Test func nextStepFromPersistedState() throws {
    let plan = RoundPlan(strategy: .ours, roundCount: 3)
    #expect(try plan.nextStep(lastFinished: [:]) == RoundStep(round: 0, kind: .embed))
    #expect(try plan.nextStep(lastFinished: [0: "annotate"]) == RoundStep(round: 0, kind: .train))
    #expect(try plan.nextStep(lastFinished: [0: "evaluate"]) == RoundStep(round: 1, kind: .select))
    #expect(try plan.nextStep(lastFinished: [0: "evaluate", 1: "evaluate", 2: "evaluate"]) == nil)
  }

  @Test func invalidStatesAreRejectedWithThePath() {
    let plan = RoundPlan(strategy: .random, roundCount: 3)
    for state: [Int: String] in [[0: "embed"], [0: "bogus"], [5: "select"], [0: "train", 1: "select"], [1: "select"]] {
      #expect(throws: ExperimentError.self) { try plan.nextStep(lastFinished: state) }
    }
    do {
      _ = try plan.nextStep(lastFinished: [0: "score"])
      Issue.record("score is not a step of random")
    } catch let error as ExperimentError {
      #expect(error.code == .invalidState)
      #expect(error.path == "rounds[0]")
      #expect(error.message.contains("select, annotate, train, evaluate"))
    } catch { Issue.record("unexpected \(error)") }
  }

  /// Runs the machine from `state` to the end, recording each step.
  static func walk(_ plan: RoundPlan, from state: [Int: String]) throws -> [RoundStep] {
    var state = state
    var ran: [RoundStep] = []
    while let step = try plan.nextStep(lastFinished: state) {
      ran.append(step)
      #expect(ran.count <= plan.allSteps.count, "the walk does not terminate")
      if ran.count > plan.allSteps.count { break }
      state = plan.recording(step, in: state)
    }
    return ran
  }

  /// The persisted state after the first `count` steps of an uninterrupted run.
  static func state(after count: Int, of plan: RoundPlan) -> [Int: String] {
    plan.allSteps.prefix(count).reduce(into: [:]) { $0[$1.round] = $1.kind.rawValue }
  }

  @Test(arguments: [1, 2, 3, 4])
  func resumeFromAnyPrefixMatchesUninterruptedRun(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<25 {
      let plan = RoundPlan(
        strategy: StrategyName.allCases.randomElement(using: &rng)!, roundCount: Int.random(in: 1...9, using: &rng))
      let full = try Self.walk(plan, from: [:])
      #expect(full == plan.allSteps)
      #expect(Set(full).count == full.count, "a step ran twice")
      for prefix in 0...full.count {
        let resumed = try Self.walk(plan, from: Self.state(after: prefix, of: plan))
        #expect(Array(full.prefix(prefix)) + resumed == full, "\(plan.strategy) resumed after \(prefix) steps")
      }
    }
  }

  @Test(arguments: [7, 8])
  func arbitraryStatesEitherThrowOrFinishTheRemainingSteps(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let names = RoundStep.Kind.allCases.map(\.rawValue) + ["bogus"]
    var accepted = 0
    for _ in 0..<400 {
      let plan = RoundPlan(
        strategy: StrategyName.allCases.randomElement(using: &rng)!, roundCount: Int.random(in: 1...4, using: &rng))
      var state: [Int: String] = [:]
      for _ in 0..<Int.random(in: 0...3, using: &rng) {
        state[Int.random(in: 0...4, using: &rng)] = names.randomElement(using: &rng)!
      }
      guard let first = try? plan.nextStep(lastFinished: state) else { continue }
      accepted += 1
      // An accepted state is exactly the state after some prefix of the run; the rest follows once each.
      let done = plan.allSteps.firstIndex(of: first)!
      #expect(Self.state(after: done, of: plan) == state)
      #expect(try Self.walk(plan, from: state) == Array(plan.allSteps.dropFirst(done)))
    }
    #expect(accepted > 20)
  }
}
