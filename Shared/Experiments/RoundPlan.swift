// The ordered steps of every round for one strategy, and the pure resume rule: from the
// persisted last-finished step of each round, the next step to run (never a finished one).

/// The step sequence of one strategy's run.
public struct RoundPlan: Sendable, Hashable {
  /// The strategy the plan is for.
  public var strategy: StrategyName
  /// Rounds in the schedule, including round 0.
  public var roundCount: Int
  /// Who picks round 0.
  public var initial: InitialSelection

  public init(strategy: StrategyName, roundCount: Int, initial: InitialSelection = .strategy) {
    precondition(roundCount >= 1, "a round plan needs at least one round, got \(roundCount)")
    self.strategy = strategy
    self.roundCount = roundCount
    self.initial = initial
  }

  /// Whether `round`'s `select` step is a seeded random split (method-spec §1.4): always for
  /// `random`; in round 0 for `initial: random` and for strategies that read the models' predictions,
  /// which do not exist before the first ensemble is trained.
  public func selectsRandomly(round: Int) -> Bool {
    strategy == .random || (round == 0 && (initial == .random || strategy.needsPredictions))
  }

  /// The steps of `round`, in order: `embed` (round 0, embedding strategies only), `select`,
  /// `annotate`, `train`, `evaluate`, `score` (strategies that read predictions, not after the last round).
  public func steps(round: Int) -> [RoundStep.Kind] {
    precondition((0..<roundCount).contains(round), "round \(round) outside 0..<\(roundCount)")
    var kinds: [RoundStep.Kind] = []
    if round == 0 && strategy.needsEmbedding { kinds.append(.embed) }
    kinds += [.select, .annotate, .train, .evaluate]
    if strategy.needsPredictions && round < roundCount - 1 { kinds.append(.score) }
    return kinds
  }

  /// Every step of the run, in order.
  public var allSteps: [RoundStep] {
    (0..<roundCount).flatMap { round in steps(round: round).map { RoundStep(round: round, kind: $0) } }
  }

  /// The next step to run, given the persisted last-finished step of each round (a missing
  /// entry means nothing finished in that round); `nil` when the run is complete.
  /// - Throws: `ExperimentError` (`.invalidState`) for an unknown step name, a step that does not
  ///   belong to its round, a round outside the plan, or progress in a round whose predecessor
  ///   has not finished.
  public func nextStep(lastFinished: [Int: String]) throws -> RoundStep? {
    var positions: [Int: Int] = [:]
    for (round, name) in lastFinished {
      let path = "rounds[\(round)]"
      guard (0..<roundCount).contains(round) else {
        throw ExperimentError(
          code: .invalidState, path: path,
          message: "round \(round) is outside this plan's \(roundCount) rounds; the state belongs to another schedule")
      }
      let kinds = steps(round: round)
      guard let kind = RoundStep.Kind(rawValue: name), let position = kinds.firstIndex(of: kind) else {
        throw ExperimentError(
          code: .invalidState, path: path,
          message:
            "'\(name)' is not a step of this round for \(strategy.rawValue); allowed values: \(kinds.map(\.rawValue).joined(separator: ", "))"
        )
      }
      positions[round] = position
    }
    var next: RoundStep?
    for round in 0..<roundCount {
      let kinds = steps(round: round)
      let finished = positions[round].map { $0 + 1 } ?? 0
      if next != nil {
        guard finished == 0 else {
          throw ExperimentError(
            code: .invalidState, path: "rounds[\(round)]",
            message: "round \(round) has progress but \(next!) has not run; clear the later round's state")
        }
      } else if finished < kinds.count {
        next = RoundStep(round: round, kind: kinds[finished])
      }
    }
    return next
  }

  /// `lastFinished` after `step` finished: its round's entry becomes the step's name.
  public func recording(_ step: RoundStep, in lastFinished: [Int: String]) -> [Int: String] {
    var updated = lastFinished
    updated[step.round] = step.kind.rawValue
    return updated
  }
}
