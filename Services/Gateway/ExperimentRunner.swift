// Runs an experiment: trains one encoder per seed when a strategy needs embeddings, then every run
// (strategy × seed) round by round — select, annotate (the simulation oracle), train the ensemble on the
// workers, evaluate, and for strategies that read predictions score the pool with the new ensemble —
// persisting each finished round through storage so an interrupted experiment resumes from its last
// finished round. Runs go concurrently, so more trainer workers finish sooner.
import Experiments
import Foundation
import Logging
import Messaging
import Protos
import Randomness
import ServiceKit
import SwiftProtobuf

struct ExperimentRunner: Sendable {
  let storage: StorageClient
  let selector: any RPCChannel
  let broker: WorkBroker
  let desk: AnnotationDesk
  let publish: @Sendable (ProgressEvent) -> Void
  let logger: Logger
  /// Experiments that wait for people put their topic here, so their annotators may follow the progress.
  var annotatorTopics = AnnotatorTopics()

  func run(experiment id: Int64, definition: ExperimentDefinition, datasetID: Int64) async throws {
    let topic = "experiment-\(id)"
    if definition.annotators == .people { annotatorTopics.open(topic) }
    let pool = try await storage.slices(dataset: datasetID, split: .train).map(\.id)
    let stored = try await storage.rounds(experiment: id)
    let finished = try Self.records(stored, state: "done")
    let trained = try Self.records(stored, state: "trained")
    try await withThrowingTaskGroup(of: Void.self) { group in
      for seed in definition.seeds {
        // Runs that read embeddings wait for their seed's encoder; the others start at once.
        let runs = definition.runs.filter { $0.seed == seed }.compactMap { run in
          definition.strategy(labeled: run.strategy)
        }
        let embedding = runs.filter(\.name.needsEmbedding), plain = runs.filter { !$0.name.needsEmbedding }
        func start(_ specs: [StrategySpec], encoder: Int64, in group: inout ThrowingTaskGroup<Void, any Error>) {
          for spec in specs {
            let done = finished.filter { $0.strategy == spec.label && $0.seed == seed }.sorted { $0.round < $1.round }
            let next = trained.first { $0.strategy == spec.label && $0.seed == seed && $0.round == done.count }
            group.addTask {
              try await runRounds(
                experiment: id, definition: definition, spec: spec, seed: seed, datasetID: datasetID,
                pool: pool, encoder: encoder, finished: done, trained: next, topic: topic)
            }
          }
        }
        start(plain, encoder: 0, in: &group)
        guard !embedding.isEmpty else { continue }
        let reused = (finished + trained).first { $0.seed == seed && ($0.encoder ?? 0) != 0 }?.encoder
        group.addTask {
          var encoder = reused ?? 0
          if encoder == 0 {
            encoder = try await trainEncoder(
              experiment: id, definition: definition, seed: seed, datasetID: datasetID, topic: topic)
          }
          try await withThrowingTaskGroup(of: Void.self) { inner in
            start(embedding, encoder: encoder, in: &inner)
            try await inner.waitForAll()
          }
        }
      }
      try await group.waitForAll()
    }
  }

  /// Trains seed `seed`'s contrastive encoder (seeded with the run seed, so every seed of "ours" has its own
  /// embedding, as the paper's five runs do) and embeds every slice; returns the encoder id.
  private func trainEncoder(
    experiment id: Int64, definition: ExperimentDefinition, seed: UInt64, datasetID: Int64,
    topic: String
  ) async throws -> Int64 {
    announce(
      topic, step: "embed", "seed \(seed): training the contrastive encoder (\(definition.encoderPreset.rawValue))")
    var train = Activeseg_V1_TrainEncoderRequest()
    train.datasetID = datasetID
    train.preset = definition.encoderPreset.rawValue
    train.experimentID = id
    train.seed = seed
    let trained = try Activeseg_V1_TrainEncoderReply(
      serializedBytes: try await broker.submit(kind: "TrainEncoder", payload: train.serializedBytes()))
    var embed = Activeseg_V1_EmbedRequest()
    embed.encoderID = trained.encoderID
    embed.datasetID = datasetID
    // Urgent: with several seeds queued, this seed's runs start once its own encoder is done, not after all.
    _ = try await broker.submit(kind: "Embed", payload: embed.serializedBytes(), urgent: true)
    announce(
      topic, step: "embed",
      "seed \(seed): encoder \(trained.encoderID) trained in \(String(format: "%.0f", trained.seconds)) s and every slice embedded"
    )
    return trained.encoderID
  }

  /// One strategy × seed: its rounds in order, skipping those already finished; a round whose models were
  /// trained before an interruption (`trained`) goes on from its score step instead of training again.
  private func runRounds(
    experiment id: Int64, definition: ExperimentDefinition, spec: StrategySpec, seed: UInt64,
    datasetID: Int64, pool: [Int64], encoder: Int64, finished: [RoundRecord], trained: RoundRecord?,
    topic: String
  ) async throws {
    let plan = definition.roundPlan(for: spec)
    let mcPasses = try Self.mcPasses(spec)
    var labeled = finished.last?.labeled ?? []
    var models = finished.last?.checkpoints ?? []
    var cost = finished.last?.costSeconds ?? 0
    var pixels = finished.last?.labeledPixels ?? 0
    let kind: Activeseg_V1_AnnotationKind = definition.supervision == .scribble ? .scribble : .full
    for round in finished.count..<definition.schedule.roundCount {
      let label = "\(spec.label)/seed\(seed) round \(round)"
      let record: RoundRecord
      if let trained, trained.round == round {
        record = trained
        labeled = trained.labeled
        cost = trained.costSeconds
        pixels = trained.labeledPixels
        announce(
          topic, step: "train", round: round, "\(label): resuming after training (models \(trained.checkpoints))")
      } else {
        // Select.
        let budget = definition.schedule.newCount(poolSize: pool.count, round: round, labeledSoFar: labeled.count)
        let strategy = plan.selectsRandomly(round: round) ? "random" : spec.name.rawValue
        var select = Activeseg_V1_SelectRequest()
        select.strategy = strategy
        select.datasetID = datasetID
        select.labeledSliceIds = labeled
        select.budget = Int32(budget)
        select.seed = SplitMix64.derive(seed, UInt64(round), 1)
        select.encoderID = encoder
        if spec.name.needsPredictions && strategy != "random" { select.modelCheckpointIds = models }
        // The strategy's own parameters (e.g. ours' faithful_pixel_term); mc_passes belongs to the score step.
        if strategy != "random" {
          select.parameters = spec.parameters.filter { $0.key != "mc_passes" }.sorted { $0.key < $1.key }.map {
            var parameter = Activeseg_V1_StrategyParameter()
            parameter.key = $0.key
            parameter.value = $0.value
            return parameter
          }
        }
        let picks =
          budget > 0
          ? try await selector.call(
            "Selector/Select", select, replying: Activeseg_V1_SelectReply.self,
            options: CallOptions(timeout: .seconds(600), caller: "gateway")
          ).picks.map(\.sliceID)
          : []
        announce(topic, step: "select", round: round, "\(label): \(strategy) picked \(picks.count) slices")
        // Annotate: the oracle reveals the stored labels, or people submit masks through the annotation desk.
        if !picks.isEmpty {
          let annotations: [Activeseg_V1_Annotation]
          switch definition.annotators {
          case .oracle:
            annotations = try await storage.reveal(picks, kind: kind, annotator: "oracle").annotations
          case .people:
            let before = Set(try await storage.latestAnnotations(picks).map(\.sliceID))
            announce(
              topic, step: "annotate", round: round,
              "\(label): waiting for annotators: \(picks.count - before.intersection(picks).count) slices (activeseg annotate next --experiment \(id))"
            )
            try await desk.collect(
              experiment: id, key: "\(spec.label)/\(seed)/\(round)", slices: picks, alreadyDone: before)
            annotations = try await storage.latestAnnotations(picks)
          }
          cost += annotations.reduce(0) { $0 + $1.costSeconds }
          pixels += annotations.reduce(0) { $0 + $1.labeledPixels }
        }
        labeled += picks
        // Train the ensemble on whichever trainers are free.
        announce(
          topic, step: "train", round: round,
          "\(label): training \(definition.ensembleSize) model(s) on \(labeled.count) slices")
        let fraction = definition.schedule.cumulative[round]
        let replies = try await withThrowingTaskGroup(of: (Int, Activeseg_V1_TrainReply).self) { group in
          for member in 0..<definition.ensembleSize {
            var train = Activeseg_V1_TrainRequest()
            train.datasetID = datasetID
            // Sorted: the model depends on the labeled set, not on the order it was picked in (common random
            // numbers: two strategies that label the same slices train bit-identical models).
            train.labeled = labeled.sorted().map {
              var slice = Activeseg_V1_LabeledSlice()
              slice.sliceID = $0
              slice.kind = kind
              return slice
            }
            train.preset = definition.preset.rawValue
            train.seed = SplitMix64.derive(seed, UInt64(round), 2, UInt64(member))
            train.member = Int32(member)
            train.supervision = kind
            train.experimentID = id
            train.labeledFraction = fraction
            let payload: [UInt8] = try train.serializedBytes()
            group.addTask {
              (
                member,
                try Activeseg_V1_TrainReply(serializedBytes: try await broker.submit(kind: "Train", payload: payload))
              )
            }
          }
          var replies: [(Int, Activeseg_V1_TrainReply)] = []
          for try await reply in group { replies.append(reply) }
          return replies.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Evaluate: the test metrics of the member with the best validation Dice (§1.7); persisted before scoring.
        record = RoundRecord(
          strategy: spec.label, seed: seed, round: round, labeled: labeled, picks: picks, selectedWith: strategy,
          cumulativeFraction: fraction, costSeconds: cost, labeledPixels: pixels,
          checkpoints: replies.map(\.checkpointID),
          encoder: encoder == 0 ? nil : encoder,
          members: replies.map {
            MemberMetrics(
              validationDice: $0.validation.meanDice, testClassDice: $0.test.classDice,
              testClassHD95: $0.test.classHd95, testVolumeDice: $0.test.volumeDice)
          })
        if plan.steps(round: round).contains(.score) {
          try await save(record, experiment: id, state: "trained", step: .evaluate)
        }
      }
      models = record.checkpoints
      let fraction = record.cumulativeFraction
      // Score: the new ensemble predicts the unlabeled pool for the next round's selection.
      if plan.steps(round: round).contains(.score) {
        let unlabeled = Set(labeled)
        try await predict(
          models: models, slices: pool.filter { !unlabeled.contains($0) }, mcPasses: mcPasses,
          seed: SplitMix64.derive(seed, UInt64(round), 3))
        announce(
          topic, step: "score", round: round,
          "\(label): \(models.count) model(s) predicted \(pool.count - labeled.count) unlabeled slices\(mcPasses > 0 ? " with \(mcPasses) dropout passes" : "")"
        )
      }
      try await save(record, experiment: id, state: "done", step: plan.steps(round: round).last!)
      announce(
        topic, step: "evaluate", round: round,
        "\(label): \(labeled.count) labeled (\(String(format: "%.1f", fraction * 100)) %), \(record.result.meanDice.isFinite ? "test Dice \(String(format: "%.3f", record.result.meanDice))" : "no test Dice (the dataset has no test slices)")"
      )
    }
  }

  /// Persists a round's record: "trained" once its models exist (so a resume does not train them again),
  /// "done" once every step of the round finished.
  private func save(_ record: RoundRecord, experiment id: Int64, state: String, step: RoundStep.Kind) async throws {
    var stored = Activeseg_V1_Round()
    stored.experimentID = id
    stored.index = Int32(record.round)
    stored.strategy = record.strategy
    stored.seed = record.seed
    stored.state = state
    stored.step = step.rawValue
    stored.payloadJson = try record.json()
    try await storage.putRound(stored, actor: "gateway")
  }

  /// The stored rounds in `state`, decoded.
  static func records(_ rounds: [Activeseg_V1_Round], state: String) throws -> [RoundRecord] {
    try rounds.filter { $0.state == state }.map {
      try RoundRecord.decode(
        $0.payloadJson, round: "experiment \($0.experimentID) \($0.strategy)/seed\($0.seed) round \($0.index)")
    }
  }

  /// Each model predicts `slices` on whichever trainer is free and stores the result (idempotent: a
  /// repeated prediction replaces the stored one).
  private func predict(models: [Int64], slices: [Int64], mcPasses: Int, seed: UInt64) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (member, model) in models.enumerated() {
        var request = Activeseg_V1_PredictRequest()
        request.checkpointID = model
        request.sliceIds = slices
        request.mcPasses = Int32(mcPasses)
        request.seed = SplitMix64.derive(seed, UInt64(member))
        request.store = true
        let payload: [UInt8] = try request.serializedBytes()
        group.addTask { _ = try await broker.submit(kind: "Predict", payload: payload) }
      }
      try await group.waitForAll()
    }
  }

  /// Monte-Carlo-dropout passes for BALD (`mc_passes`, default 40 as the paper); 0 (one pass) otherwise.
  static func mcPasses(_ spec: StrategySpec) throws -> Int {
    guard spec.name == .bald else { return 0 }
    guard let text = spec.parameters["mc_passes"] else { return 40 }
    guard let passes = Int(text), (2...100).contains(passes) else {
      throw ServiceError(
        .invalidArgument,
        "strategies.\(spec.label).parameters.mc_passes must be an integer from 2 to 100, got '\(text)'")
    }
    return passes
  }

  /// The rounds this experiment already finished (from storage), for resuming.
  func finishedRounds(experiment id: Int64) async throws -> [RoundRecord] {
    try Self.records(try await storage.rounds(experiment: id), state: "done")
  }

  private func announce(_ topic: String, step: String, round: Int = -1, _ message: String) {
    logger.info("\(message)")
    var event = ProgressEvent()
    event.topic = topic
    event.kind = "round"
    event.step = step
    event.round = Int32(round)
    event.message = message
    publish(event)
  }
}
