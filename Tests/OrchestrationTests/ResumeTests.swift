// Resume after a crash between any two steps, for every strategy: a run stopped at its k-th call to storage,
// selector or workers (before or after the call takes effect), then resumed by a new runner on the same storage,
// ends with the records of an uninterrupted run, repeats no finished work but the step in flight, and never
// trains a seed's encoder again once it was stored.
import Experiments
import Foundation
import Logging
import Orchestration
import Synchronization
import Testing

/// One gateway's view of the in-memory services; `runner()` is a fresh gateway each time (nothing carried over).
struct Harness {
  static let poolSize = 40
  let crasher: Crasher
  let store: MemoryStore
  let workers: HashWorkers
  let selector: HashSelector
  let desk: AnnotationDesk

  /// Fresh services: an empty database, idle workers.
  init(desk: AnnotationDesk = AnnotationDesk(leaseDuration: 600)) {
    let crasher = Crasher()
    let workers = HashWorkers(crasher: crasher)
    self.init(
      crasher: crasher, store: MemoryStore(poolSize: Self.poolSize, crasher: crasher), workers: workers,
      selector: HashSelector(crasher: crasher, workers: workers, poolSize: Self.poolSize), desk: desk)
  }

  init(crasher: Crasher, store: MemoryStore, workers: HashWorkers, selector: HashSelector, desk: AnnotationDesk) {
    self.crasher = crasher
    self.store = store
    self.workers = workers
    self.selector = selector
    self.desk = desk
  }

  func runner() -> ExperimentRunner {
    ExperimentRunner(
      store: store, selector: selector, workers: workers, desk: desk, publish: { _ in },
      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
  }

  func run(_ definition: ExperimentDefinition) async throws {
    try await runner().run(experiment: 1, definition: definition, datasetID: 1)
  }

  /// The finished rounds, in a fixed order.
  var done: [RoundRecord] {
    store.rounds.filter { $0.state == .done }.map(\.record).sorted { ($0.strategy, $0.round) < ($1.strategy, $1.round) }
  }

  /// Where a resume starts from: the states of rounds that got part of the way, and an encoder not yet embedded.
  var partial: Set<String> {
    var states = Set(store.rounds.filter { $0.state != .done }.map(\.state.rawValue))
    if store.encoders(experiment: 1).values.contains(where: { !$0.embedded }) { states.insert("encoder-trained") }
    return states
  }
}

func definition(_ strategy: StrategyName, annotators: Annotators = .oracle, rounds: Int = 3) throws
  -> ExperimentDefinition
{
  let cumulative = (1...rounds).map { String(format: "%.2f", Double($0) * 0.1) }.joined(separator: ", ")
  return try ExperimentDefinition(
    yaml: """
      dataset: ph
      supervision: scribble
      strategies: [{name: \(strategy.rawValue), parameters: {mc_passes: "4"}}]
      schedule: {cumulative: [\(cumulative)]}
      ensemble_size: 2
      seeds: [3]
      preset: smoke
      annotators: \(annotators.rawValue)
      """)
}

@Suite struct ResumeTests {
  @Test(arguments: StrategyName.allCases)
  func aCrashBetweenAnyTwoStepsResumesToTheUninterruptedResult(_ strategy: StrategyName) async throws {
    let spec = try definition(strategy)
    let baseline = Harness()
    try await baseline.run(spec)
    let expected = baseline.done
    #expect(expected.count == 3 && expected.allSatisfy { $0.checkpoints.count == 2 })
    var resumedFrom: Set<String> = []
    for call in 1...baseline.crasher.calls {
      for moment in [Crasher.Moment.before, .after] {
        let crashed = Harness()
        crashed.crasher.arm(at: call, moment)
        await #expect(throws: Crash.self) { try await crashed.run(spec) }
        let step = "\(moment) call \(call) (\(crashed.crasher.crashed ?? "none"))"
        resumedFrom.formUnion(crashed.partial)
        let encoderStored = !crashed.store.encoders(experiment: 1).isEmpty
        let encodersBeforeCrash = crashed.workers.encoderTrainings
        crashed.crasher.arm(at: nil, .before)
        try await crashed.run(spec)
        #expect(crashed.done == expected, "\(strategy): crash \(step)")
        // Only the step in flight is repeated: at most one ensemble, and an encoder only when it was trained but
        // not yet stored; a stored encoder is never trained again.
        #expect(
          crashed.workers.trainings <= baseline.workers.trainings + spec.ensembleSize, "\(strategy): crash \(step)")
        #expect(
          crashed.workers.encoderTrainings == baseline.workers.encoderTrainings
            + (encoderStored ? 0 : encodersBeforeCrash), "\(strategy): crash \(step)")
      }
    }
    // Every persisted step kind was resumed from at least once.
    var kinds: Set<String> = ["selected"]
    if spec.roundPlan(for: spec.strategies[0]).steps(round: 0).contains(.score) { kinds.insert("trained") }
    if strategy.needsEmbedding { kinds.insert("encoder-trained") }
    #expect(resumedFrom == kinds, "\(strategy)")
  }

  @Test func aRoundResumedAfterItsSelectionKeepsItsPicksAndTheAnnotationsAlreadySubmitted() async throws {
    let spec = try definition(.coreset, annotators: .people, rounds: 2)
    // The uninterrupted run, annotated as people would: whatever the desk hands out is submitted.
    let baseline = Harness()
    try await Self.annotating(baseline) { try await baseline.run(spec) }
    // The gateway stops while round 0 waits for people, after one slice was submitted.
    let stopped = Harness()
    let run = Task { try await stopped.run(spec) }
    let first = try await Self.lease(stopped, count: 1)
    stopped.store.annotate(first[0], annotator: "a")
    await stopped.desk.submitted(experiment: 1, slice: first[0])
    run.cancel()
    await #expect(throws: CancellationError.self) { try await run.value }
    #expect(stopped.partial == ["selected"])
    // A new gateway (a new desk) hands out only the picks still open, and ends where the uninterrupted run ended.
    let restarted = Harness.sharing(stopped)
    let selections = stopped.selector.selections
    let handedOut = Mutex<[Int64]>([])
    try await Self.annotating(restarted, handedOut: { slices in handedOut.withLock { $0 += slices } }) {
      try await restarted.run(spec)
    }
    #expect(restarted.done == baseline.done)
    let round0 = baseline.done[0].picks
    let handed = handedOut.withLock { $0 }
    #expect(!handed.contains(first[0]) && Set(round0).subtracting([first[0]]).isSubset(of: handed))
    // The stored picks were reused, not selected again.
    #expect(stopped.selector.selections == selections + 1)
  }

  /// Runs `body` while an annotator submits every slice the desk hands out.
  static func annotating(
    _ harness: Harness, handedOut: @escaping @Sendable ([Int64]) -> Void = { _ in },
    _ body: @escaping @Sendable () async throws -> Void
  ) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await body() }
      let annotator = Task {
        while !Task.isCancelled {
          let slices = ((try? await harness.desk.next(experiment: 1, annotator: "a", count: 100)) ?? []).map(\.slice)
          handedOut(slices)
          for slice in slices {
            harness.store.annotate(slice, annotator: "a")
            await harness.desk.submitted(experiment: 1, slice: slice)
          }
          try? await Task.sleep(for: .milliseconds(2))
        }
      }
      try await group.next()
      annotator.cancel()
    }
  }

  /// Waits for the desk to hand out `count` slices to annotator "a".
  static func lease(_ harness: Harness, count: Int) async throws -> [Int64] {
    for _ in 0..<5000 {
      let slices = try await harness.desk.next(experiment: 1, annotator: "a", count: count).map(\.slice)
      if !slices.isEmpty { return slices }
      try await Task.sleep(for: .milliseconds(1))
    }
    throw Crash()
  }
}

extension Harness {
  /// A new gateway over `other`'s storage and workers (the same database and trainers), with its own desk.
  static func sharing(_ other: Harness) -> Harness {
    Harness(
      crasher: other.crasher, store: other.store, workers: other.workers, selector: other.selector,
      desk: AnnotationDesk(leaseDuration: 600))
  }
}
