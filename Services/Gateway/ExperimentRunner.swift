// Runs an experiment: trains the encoder once when a strategy needs embeddings, then every run
// (strategy × seed) round by round — select, annotate (the simulation oracle), train the ensemble on the
// workers, evaluate — persisting each finished round through storage so an interrupted experiment resumes
// from its last finished round. Runs go concurrently, so more trainer workers finish sooner.
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
  let publish: @Sendable (ProgressEvent) -> Void
  let logger: Logger

  func run(experiment id: Int64, definition: ExperimentDefinition, datasetID: Int64) async throws {
    let topic = "experiment-\(id)"
    let pool = try await storage.slices(dataset: datasetID, split: .train).count
    let finished = try await finishedRounds(experiment: id)
    var encoder: Int64 = 0
    if definition.strategies.contains(where: { $0.name.needsEmbedding }) {
      announce(topic, step: "embed", "training the contrastive encoder (\(definition.encoderPreset.rawValue))")
      var train = Activeseg_V1_TrainEncoderRequest()
      train.datasetID = datasetID
      train.preset = definition.encoderPreset.rawValue
      train.experimentID = id
      let trained = try Activeseg_V1_TrainEncoderReply(serializedBytes: try await broker.submit(kind: "TrainEncoder", payload: train.serializedBytes()))
      var embed = Activeseg_V1_EmbedRequest()
      embed.encoderID = trained.encoderID
      embed.datasetID = datasetID
      _ = try await broker.submit(kind: "Embed", payload: embed.serializedBytes())
      encoder = trained.encoderID
      announce(topic, step: "embed", "encoder \(encoder) trained in \(String(format: "%.0f", trained.seconds)) s and every slice embedded")
    }
    let encoderID = encoder
    try await withThrowingTaskGroup(of: Void.self) { group in
      for run in definition.runs {
        guard let spec = definition.strategy(labeled: run.strategy) else { continue }
        let done = finished.filter { $0.strategy == run.strategy && $0.seed == run.seed }.sorted { $0.round < $1.round }
        group.addTask {
          try await runRounds(experiment: id, definition: definition, spec: spec, seed: run.seed, datasetID: datasetID,
                              pool: pool, encoder: encoderID, finished: done, topic: topic)
        }
      }
      try await group.waitForAll()
    }
  }

  /// One strategy × seed: its rounds in order, skipping those already finished.
  private func runRounds(experiment id: Int64, definition: ExperimentDefinition, spec: StrategySpec, seed: UInt64,
                         datasetID: Int64, pool: Int, encoder: Int64, finished: [RoundRecord], topic: String) async throws {
    let plan = definition.roundPlan(for: spec)
    var labeled = finished.last?.labeled ?? []
    var cost = finished.last?.costSeconds ?? 0
    var pixels = finished.last?.labeledPixels ?? 0
    let kind: Activeseg_V1_AnnotationKind = definition.supervision == .scribble ? .scribble : .full
    for round in finished.count..<definition.schedule.roundCount {
      let label = "\(spec.label)/seed\(seed) round \(round)"
      // Select.
      let budget = definition.schedule.newCount(poolSize: pool, round: round, labeledSoFar: labeled.count)
      let strategy = plan.selectsRandomly(round: round) ? "random" : spec.name.rawValue
      var select = Activeseg_V1_SelectRequest()
      select.strategy = strategy
      select.datasetID = datasetID
      select.labeledSliceIds = labeled
      select.budget = Int32(budget)
      select.seed = SplitMix64.derive(seed, UInt64(round), 1)
      select.encoderID = encoder
      let picks = budget > 0
        ? try await selector.call("Selector/Select", select, replying: Activeseg_V1_SelectReply.self,
                                  options: CallOptions(timeout: .seconds(600), caller: "gateway")).picks.map(\.sliceID)
        : []
      announce(topic, step: "select", round: round, "\(label): \(strategy) picked \(picks.count) slices")
      // Annotate: the oracle reveals the stored label and charges its cost.
      if !picks.isEmpty {
        var reveal = Activeseg_V1_RevealRequest()
        reveal.sliceIds = picks
        reveal.kind = kind
        reveal.annotator = "oracle"
        let revealed = try await storage.channel.call("Storage/Reveal", reveal, replying: Activeseg_V1_RevealReply.self,
                                                      options: CallOptions(timeout: .seconds(120), caller: "gateway"))
        cost += revealed.totalCostSeconds
        pixels += revealed.annotations.reduce(0) { $0 + $1.labeledPixels }
      }
      labeled += picks
      // Train the ensemble on whichever trainers are free.
      announce(topic, step: "train", round: round, "\(label): training \(definition.ensembleSize) model(s) on \(labeled.count) slices")
      let fraction = definition.schedule.cumulative[round]
      let replies = try await withThrowingTaskGroup(of: (Int, Activeseg_V1_TrainReply).self) { group in
        for member in 0..<definition.ensembleSize {
          var train = Activeseg_V1_TrainRequest()
          train.datasetID = datasetID
          train.labeled = labeled.map {
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
            (member, try Activeseg_V1_TrainReply(serializedBytes: try await broker.submit(kind: "Train", payload: payload)))
          }
        }
        var replies: [(Int, Activeseg_V1_TrainReply)] = []
        for try await reply in group { replies.append(reply) }
        return replies.sorted { $0.0 < $1.0 }.map(\.1)
      }
      // Evaluate: the test metrics of the member with the best validation Dice (§1.7).
      let record = RoundRecord(
        strategy: spec.label, seed: seed, round: round, labeled: labeled, picks: picks, selectedWith: strategy,
        cumulativeFraction: fraction, costSeconds: cost, labeledPixels: pixels, checkpoints: replies.map(\.checkpointID),
        members: replies.map { MemberMetrics(validationDice: $0.validation.meanDice, testClassDice: $0.test.classDice,
                                             testClassHD95: $0.test.classHd95) })
      var put = Activeseg_V1_PutRoundRequest()
      put.round.experimentID = id
      put.round.index = Int32(round)
      put.round.strategy = spec.label
      put.round.seed = seed
      put.round.state = "done"
      put.round.step = RoundStep.Kind.evaluate.rawValue
      put.round.payloadJson = try record.json()
      put.actor = "gateway"
      _ = try await storage.channel.call("Storage/PutRound", put, replying: Activeseg_V1_PutRoundReply.self,
                                         options: CallOptions(timeout: .seconds(60), caller: "gateway"))
      announce(topic, step: "evaluate", round: round,
               "\(label): \(labeled.count) labeled (\(String(format: "%.1f", fraction * 100)) %), test Dice \(String(format: "%.3f", record.result.meanDice))")
    }
  }

  /// The rounds this experiment already finished (from storage), for resuming.
  func finishedRounds(experiment id: Int64) async throws -> [RoundRecord] {
    var request = Activeseg_V1_ListRoundsRequest()
    request.experimentID = id
    let rounds = try await storage.channel.call("Storage/ListRounds", request, replying: Activeseg_V1_ListRoundsReply.self,
                                                options: .idempotent(timeout: .seconds(30), caller: "gateway")).rounds
    return rounds.filter { $0.state == "done" }.compactMap { RoundRecord.decode($0.payloadJson) }
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
