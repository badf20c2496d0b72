// Runs an experiment: trains one encoder per seed when a strategy needs embeddings, then every run
// (strategy × seed) round by round (ExperimentRunner+Rounds.swift). Runs go concurrently, so more trainer
// workers finish sooner. Every step that finishes is persisted through the store, so an interrupted experiment
// resumes at the step it was in: an encoder trained is not trained again, a round selected is not selected
// again, models trained are not trained again.
import Experiments
import Foundation
import Logging
import Messaging
import Randomness

public struct ExperimentRunner: Sendable {
  public let store: any ExperimentStore
  public let selector: any SliceSelecting
  public let workers: any WorkerPool
  public let desk: AnnotationDesk
  public let publish: @Sendable (RoundProgress) -> Void
  public let logger: Logger
  /// Experiments that wait for people put their topic here, so their annotators may follow the progress.
  public let annotatorTopics: AnnotatorTopics

  public init(
    store: any ExperimentStore, selector: any SliceSelecting, workers: any WorkerPool, desk: AnnotationDesk,
    publish: @escaping @Sendable (RoundProgress) -> Void, logger: Logger,
    annotatorTopics: AnnotatorTopics = AnnotatorTopics()
  ) {
    self.store = store
    self.selector = selector
    self.workers = workers
    self.desk = desk
    self.publish = publish
    self.logger = logger
    self.annotatorTopics = annotatorTopics
  }

  /// What every run of one experiment shares.
  struct Context: Sendable {
    let experiment: Int64
    let definition: ExperimentDefinition
    let dataset: Int64
    let pool: [Int64]
    var topic: String { "experiment-\(experiment)" }
  }

  /// Runs (or resumes) every run of experiment `id` to its last round.
  public func run(experiment id: Int64, definition: ExperimentDefinition, datasetID: Int64) async throws {
    let context = Context(
      experiment: id, definition: definition, dataset: datasetID, pool: try await store.pool(dataset: datasetID))
    if definition.annotators == .people { annotatorTopics.open(context.topic) }
    let progress = try await store.progress(experiment: id)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for seed in definition.seeds {
        // Runs that read embeddings wait for their seed's encoder; the others start at once.
        let specs = definition.runs.filter { $0.seed == seed }.compactMap { definition.strategy(labeled: $0.strategy) }
        let embedding = specs.filter(\.name.needsEmbedding)
        for spec in specs where !spec.name.needsEmbedding {
          group.addTask {
            try await runRounds(
              context, spec: spec, seed: seed, encoder: 0, stored: progress.run(spec.label, seed: seed))
          }
        }
        guard !embedding.isEmpty else { continue }
        group.addTask {
          let encoder = try await encoder(context, seed: seed, progress: progress)
          try await withThrowingTaskGroup(of: Void.self) { inner in
            for spec in embedding {
              inner.addTask {
                try await runRounds(
                  context, spec: spec, seed: seed, encoder: encoder, stored: progress.run(spec.label, seed: seed))
              }
            }
            try await inner.waitForAll()
          }
        }
      }
      try await group.waitForAll()
    }
  }

  /// The finished rounds of experiment `id`, for status, reports and export.
  public func finishedRounds(experiment id: Int64) async throws -> [RoundRecord] {
    try await store.progress(experiment: id).finished
  }

  /// Seed `seed`'s contrastive encoder with every slice embedded: the stored one, else one trained now (seeded with
  /// the run seed, so every seed of "ours" has its own embedding, as the paper's five runs do).
  private func encoder(_ context: Context, seed: UInt64, progress: ExperimentProgress) async throws -> Int64 {
    // Experiments stored before encoders had their own record name theirs in the round records only.
    let named = progress.rounds.first { $0.record.seed == seed && ($0.record.encoder ?? 0) != 0 }?.record.encoder
    var stored = progress.encoders[seed] ?? named.map { StoredEncoder(id: $0, embedded: true) }
    if stored == nil {
      announce(
        context.topic, step: "embed",
        "seed \(seed): training the contrastive encoder (\(context.definition.encoderPreset.rawValue))")
      let trained = try await workers.trainEncoder(
        EncoderJob(
          dataset: context.dataset, preset: context.definition.encoderPreset.rawValue,
          experiment: context.experiment, seed: seed))
      stored = StoredEncoder(id: trained.id, embedded: false)
      try await store.saveEncoder(stored!, seed: seed, experiment: context.experiment)
      announce(
        context.topic, step: "embed",
        "seed \(seed): encoder \(trained.id) trained in \(String(format: "%.0f", trained.seconds)) s")
    }
    guard var encoder = stored else { preconditionFailure("an encoder was found or trained above") }
    if !encoder.embedded {
      try await workers.embed(encoder: encoder.id, dataset: context.dataset)
      encoder.embedded = true
      try await store.saveEncoder(encoder, seed: seed, experiment: context.experiment)
      announce(context.topic, step: "embed", "seed \(seed): every slice embedded with encoder \(encoder.id)")
    }
    return encoder.id
  }

  /// Each model predicts `slices` on whichever trainer is free and stores the result (idempotent: a
  /// repeated prediction replaces the stored one); `urgent` jobs go before the queued ones.
  public func predict(models: [Int64], slices: [Int64], mcPasses: Int, seed: UInt64, urgent: Bool = false)
    async throws
  {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (member, model) in models.enumerated() {
        let job = PredictionJob(
          model: model, slices: slices, mcPasses: mcPasses, seed: SplitMix64.derive(seed, UInt64(member)))
        group.addTask { try await workers.predict(job, urgent: urgent) }
      }
      try await group.waitForAll()
    }
  }

  /// Monte-Carlo-dropout passes for BALD (`mc_passes`, default 40 as the paper); 0 (one pass) otherwise.
  public static func mcPasses(_ spec: StrategySpec) throws -> Int {
    guard spec.name == .bald else { return 0 }
    guard let text = spec.parameters["mc_passes"] else { return 40 }
    guard let passes = Int(text), (2...100).contains(passes) else {
      throw ServiceError(
        .invalidArgument,
        "strategies.\(spec.label).parameters.mc_passes must be an integer from 2 to 100, got '\(text)'")
    }
    return passes
  }

  func announce(_ topic: String, step: String, round: Int = -1, _ message: String) {
    logger.info("\(message)")
    publish(RoundProgress(topic: topic, step: step, round: round, message: message))
  }
}
