// Gateway/Segment: the final model of one run (strategy × seed) of a finished experiment — the ensemble of
// its last round — predicts slices in storage (a new scan put there with Storage/PutScan) on the trainers,
// and the predictions are stored for the caller to fetch, average and resize back.
import Experiments
import Foundation
import Messaging
import Orchestration
import Protos
import ServiceKit

typealias SegmentRequest = Activeseg_V1_SegmentRequest
typealias SegmentReply = Activeseg_V1_SegmentReply

struct SegmentHandlers: Sendable {
  let runner: ExperimentRunner
  let storage: StorageClient
  let broker: WorkBroker

  func register(on router: inout RPCRouter) {
    router.register("Gateway/Segment") { (request: SegmentRequest, _) -> SegmentReply in
      try await storage.requireReachable(for: "segmenting with experiment \(request.experimentID)")
      var reply = try await finalModel(request)
      guard !request.sliceIds.isEmpty else { return reply }
      guard broker.workers().contains(where: { $0.kind == "trainer" }) else {
        throw ServiceError(
          .unavailable,
          "no trainer is connected to the gateway, so nothing can predict the scan; start one (activeseg up --trainers 1, or activeseg-trainer with trainer.gateway set to this gateway's work socket)"
        )
      }
      // Urgent: someone waits for this scan, so it goes before the queued jobs of running experiments.
      try await runner.predict(
        models: reply.checkpointIds, slices: request.sliceIds, mcPasses: 0, seed: 0, urgent: true)
      reply.predicted = Int64(request.sliceIds.count)
      return reply
    }
  }

  /// The last round of `strategy` × `seed`, which must be done (or the models the request names); each failure
  /// names what to fix.
  func finalModel(_ request: SegmentRequest) async throws -> SegmentReply {
    if !request.checkpointIds.isEmpty { return try await givenModels(request) }
    let id = request.experimentID
    let experiment = try await storage.experiment(id)
    let definition: ExperimentDefinition
    do { definition = try ExperimentDefinition(yaml: experiment.configYAML) } catch {
      throw ServiceError(
        .failedPrecondition, "experiment \(id)'s stored definition does not parse (\(error)); it has no usable model")
    }
    let labels = definition.strategies.map(\.label)
    guard labels.contains(request.strategy) else {
      throw ServiceError(
        .notFound,
        "experiment \(id) did not run strategy '\(request.strategy)'; it ran \(labels.joined(separator: ", ")): pass one of them with --strategy"
      )
    }
    guard definition.seeds.contains(request.seed) else {
      throw ServiceError(
        .notFound,
        "experiment \(id) did not run seed \(request.seed); its seeds are \(definition.seeds.map(String.init).joined(separator: ", ")): pass one of them with --seed"
      )
    }
    let finalRound = definition.schedule.roundCount - 1
    let done = try await runner.finishedRounds(experiment: id).filter {
      $0.strategy == request.strategy && $0.seed == request.seed
    }
    guard let last = done.first(where: { $0.round == finalRound }), !last.checkpoints.isEmpty else {
      let run = "\(request.strategy)/seed\(request.seed)"
      throw ServiceError(
        .failedPrecondition,
        "experiment \(id) (\(experiment.state)) has no final model for \(run) yet: \(done.count) of its \(finalRound + 1) rounds are done. Wait until it finishes (activeseg experiment list shows it), or continue it with activeseg experiment resume \(id)"
      )
    }
    var reply = SegmentReply()
    reply.checkpointIds = last.checkpoints
    reply.round = Int32(last.round)
    reply.labeledSlices = Int32(last.labeled.count)
    reply.testDice = last.result.meanDice
    reply.datasetID = try await storage.datasets().first { $0.name == definition.dataset }.map(\.id) ?? 0
    guard reply.datasetID != 0 else {
      throw ServiceError(
        .failedPrecondition,
        "experiment \(id)'s dataset '\(definition.dataset)' is no longer in storage; a scan is preprocessed like that dataset, so import it again under that name"
      )
    }
    return reply
  }

  /// Models the caller stored (an exported model brought back), with the dataset whose preprocessing scans get.
  func givenModels(_ request: SegmentRequest) async throws -> SegmentReply {
    guard request.experimentID == 0 else {
      throw ServiceError(
        .invalidArgument, "give either an experiment (with strategy and seed) or checkpoint_ids, not both")
    }
    guard try await storage.datasets().contains(where: { $0.id == request.likeDatasetID }) else {
      throw ServiceError(
        .notFound,
        "dataset \(request.likeDatasetID), whose preprocessing the scans would get, is not in storage; name an imported dataset with --dataset"
      )
    }
    for id in request.checkpointIds { _ = try await storage.checkpoint(id) }  // NOT_FOUND names a missing one
    var reply = SegmentReply()
    reply.checkpointIds = request.checkpointIds
    reply.round = -1
    reply.testDice = .nan
    reply.datasetID = request.likeDatasetID
    return reply
  }
}
