// One run (strategy × seed), round by round: select, annotate (the oracle, or people through the desk), train
// the ensemble on the workers and evaluate it, and for strategies that read predictions score the pool with the
// new ensemble. Each round is persisted three times: selected (its picks), trained (its models and metrics, when
// a score step follows) and done, so a resumed run goes on from the step after the last one persisted.
import Experiments
import Foundation
import Randomness

extension ExperimentRunner {
  /// Runs the rounds after `stored.finished`, going on from `stored.partial` when the next one got part of the way.
  func runRounds(
    _ context: Context, spec: StrategySpec, seed: UInt64, encoder: Int64,
    stored: (finished: [RoundRecord], partial: StoredRound?)
  ) async throws {
    let plan = context.definition.roundPlan(for: spec)
    _ = try Self.mcPasses(spec)  // a bad mc_passes fails the run before its first job, not after its first round
    var previous = stored.finished.last
    for round in stored.finished.count..<context.definition.schedule.roundCount {
      let label = "\(spec.label)/seed\(seed) round \(round)"
      let steps = plan.steps(round: round)
      let partial = stored.partial.flatMap { $0.record.round == round ? $0 : nil }
      if let partial {
        announce(context.topic, step: partial.step.rawValue, round: round, "\(label): resuming after \(partial.step)")
      }
      var record: RoundRecord
      if let partial {
        record = partial.record
      } else {
        record = try await select(
          context, spec: spec, seed: seed, round: round, encoder: encoder, plan: plan, previous: previous, label: label)
      }
      if partial == nil || partial?.state == .selected {
        record = try await annotate(context, record, label: label, key: "\(spec.label)/\(seed)/\(round)")
        record = try await train(context, record, seed: seed, label: label)
        if steps.contains(.score) {
          try await store.save(
            StoredRound(experiment: context.experiment, state: .trained, step: .evaluate, record: record))
        }
      }
      if steps.contains(.score) {
        try await score(context, record, spec: spec, seed: seed, label: label)
      }
      try await store.save(StoredRound(experiment: context.experiment, state: .done, step: steps.last!, record: record))
      let dice = record.result.meanDice
      announce(
        context.topic, step: "evaluate", round: round,
        "\(label): \(record.labeled.count) labeled (\(String(format: "%.1f", record.cumulativeFraction * 100)) %), \(dice.isFinite ? "test Dice \(String(format: "%.3f", dice))" : "no test Dice (the dataset has no test slices)")"
      )
      previous = record
    }
  }

  /// Chooses the round's new slices and persists them (state selected) before anyone annotates them.
  private func select(
    _ context: Context, spec: StrategySpec, seed: UInt64, round: Int, encoder: Int64, plan: RoundPlan,
    previous: RoundRecord?, label: String
  ) async throws -> RoundRecord {
    let labeled = previous?.labeled ?? []
    let budget = context.definition.schedule.newCount(
      poolSize: context.pool.count, round: round, labeledSoFar: labeled.count)
    let strategy = plan.selectsRandomly(round: round) ? "random" : spec.name.rawValue
    var request = SelectionRequest(
      strategy: strategy, dataset: context.dataset, labeled: labeled, budget: budget,
      seed: SplitMix64.derive(seed, UInt64(round), 1), encoder: encoder)
    if strategy != "random" {
      if spec.name.needsPredictions { request.models = previous?.checkpoints ?? [] }
      // The strategy's own parameters (e.g. ours' faithful_pixel_term); mc_passes belongs to the score step.
      request.parameters = spec.parameters.filter { $0.key != "mc_passes" }
    }
    let picks = budget > 0 ? try await selector.select(request) : []
    announce(context.topic, step: "select", round: round, "\(label): \(strategy) picked \(picks.count) slices")
    let record = RoundRecord(
      strategy: spec.label, seed: seed, round: round, labeled: labeled + picks, picks: picks, selectedWith: strategy,
      cumulativeFraction: context.definition.schedule.cumulative[round], costSeconds: previous?.costSeconds ?? 0,
      labeledPixels: previous?.labeledPixels ?? 0, checkpoints: [], encoder: encoder == 0 ? nil : encoder, members: [])
    try await store.save(StoredRound(experiment: context.experiment, state: .selected, step: .select, record: record))
    return record
  }

  /// The picks' annotations: the oracle reveals the stored labels, or people submit masks through the desk.
  /// Adds their cost to the record.
  private func annotate(_ context: Context, _ record: RoundRecord, label: String, key: String) async throws
    -> RoundRecord
  {
    guard !record.picks.isEmpty else { return record }
    let annotations: [AnnotationReceipt]
    switch context.definition.annotators {
    case .oracle:
      annotations = try await store.reveal(record.picks, supervision: context.definition.supervision)
    case .people:
      let before = Set(try await store.latestAnnotations(record.picks).map(\.slice))
      announce(
        context.topic, step: "annotate", round: record.round,
        "\(label): waiting for annotators: \(record.picks.count - before.intersection(record.picks).count) slices (activeseg annotate next --experiment \(context.experiment))"
      )
      try await desk.collect(experiment: context.experiment, key: key, slices: record.picks, alreadyDone: before)
      annotations = try await store.latestAnnotations(record.picks)
    }
    var annotated = record
    annotated.costSeconds += annotations.reduce(0) { $0 + $1.costSeconds }
    annotated.labeledPixels += annotations.reduce(0) { $0 + $1.labeledPixels }
    return annotated
  }

  /// Trains the ensemble on whichever trainers are free; the record gets each member's model and test metrics.
  private func train(_ context: Context, _ record: RoundRecord, seed: UInt64, label: String) async throws
    -> RoundRecord
  {
    let definition = context.definition
    announce(
      context.topic, step: "train", round: record.round,
      "\(label): training \(definition.ensembleSize) model(s) on \(record.labeled.count) slices")
    let models = try await withThrowingTaskGroup(of: (Int, TrainedModel).self) { group in
      for member in 0..<definition.ensembleSize {
        // Sorted: two strategies that label the same slices train bit-identical models (common random numbers).
        let job = TrainingJob(
          dataset: context.dataset, labeled: record.labeled.sorted(), supervision: definition.supervision,
          preset: definition.preset.rawValue, seed: SplitMix64.derive(seed, UInt64(record.round), 2, UInt64(member)),
          member: member, experiment: context.experiment, labeledFraction: record.cumulativeFraction)
        group.addTask { (member, try await workers.train(job)) }
      }
      var models: [(Int, TrainedModel)] = []
      for try await model in group { models.append(model) }
      return models.sorted { $0.0 < $1.0 }.map(\.1)
    }
    var trained = record
    trained.checkpoints = models.map(\.checkpoint)
    trained.members = models.map(\.metrics)
    return trained
  }

  /// The new ensemble predicts the unlabeled pool for the next round's selection.
  private func score(_ context: Context, _ record: RoundRecord, spec: StrategySpec, seed: UInt64, label: String)
    async throws
  {
    let mcPasses = try Self.mcPasses(spec)
    let labeled = Set(record.labeled)
    let unlabeled = context.pool.filter { !labeled.contains($0) }
    try await predict(
      models: record.checkpoints, slices: unlabeled, mcPasses: mcPasses,
      seed: SplitMix64.derive(seed, UInt64(record.round), 3))
    announce(
      context.topic, step: "score", round: record.round,
      "\(label): \(record.checkpoints.count) model(s) predicted \(unlabeled.count) unlabeled slices\(mcPasses > 0 ? " with \(mcPasses) dropout passes" : "")"
    )
  }
}
