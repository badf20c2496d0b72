// Typed storage calls for the gateway: datasets and experiments, rounds, the oracle's reveal, and
// annotations submitted by people.
import Experiments
import Foundation
import Messaging
import Protos

extension StorageClient {
  public func datasets() async throws -> [StoredDataset] {
    try await channel.call(
      "Storage/ListDatasets", Activeseg_V1_ListDatasetsRequest(), replying: Activeseg_V1_ListDatasetsReply.self,
      options: read
    ).datasets.map(StoredDataset.init(wire:))
  }

  public func experiment(_ id: Int64) async throws -> StoredExperiment {
    var request = Activeseg_V1_GetExperimentRequest()
    request.id = id
    return StoredExperiment(
      wire: try await channel.call(
        "Storage/GetExperiment", request, replying: Activeseg_V1_GetExperimentReply.self, options: read
      ).experiment)
  }

  public func experiments() async throws -> [StoredExperiment] {
    try await channel.call(
      "Storage/ListExperiments", Activeseg_V1_ListExperimentsRequest(),
      replying: Activeseg_V1_ListExperimentsReply.self,
      options: read
    ).experiments.map(StoredExperiment.init(wire:))
  }

  /// Creates (id 0) or updates an experiment.
  @discardableResult
  public func putExperiment(_ experiment: StoredExperiment, actor: String) async throws -> StoredExperiment {
    var request = Activeseg_V1_PutExperimentRequest()
    request.experiment = experiment.wire
    request.actor = actor
    return StoredExperiment(
      wire: try await channel.call(
        "Storage/PutExperiment", request, replying: Activeseg_V1_PutExperimentReply.self, options: write
      ).experiment)
  }

  /// Creates or replaces the round (experiment, strategy, seed, index). With `retryingEvery`, each attempt waits
  /// that long and the call is retried (replacing a row is idempotent): for writes that callers wait on, such as
  /// the annotators' leases, which must not hang for the write timeout when storage is restarting.
  public func putRound(_ round: RoundRow, actor: String, retryingEvery timeout: Duration? = nil) async throws {
    var request = Activeseg_V1_PutRoundRequest()
    request.round = round.wire
    request.actor = actor
    _ = try await channel.call(
      "Storage/PutRound", request, replying: Activeseg_V1_PutRoundReply.self,
      options: timeout.map { .idempotent(timeout: $0, caller: caller) } ?? write)
  }

  public func rounds(experiment: Int64) async throws -> [RoundRow] {
    var request = Activeseg_V1_ListRoundsRequest()
    request.experimentID = experiment
    return try await channel.call(
      "Storage/ListRounds", request, replying: Activeseg_V1_ListRoundsReply.self, options: read
    ).rounds.map(RoundRow.init(wire:))
  }

  /// The oracle reveals the stored ground truth of `slices` as annotations of `kind` and charges their cost.
  public func reveal(_ slices: [Int64], kind: Supervision, annotator: String) async throws -> [StoredAnnotation] {
    var request = Activeseg_V1_RevealRequest()
    request.sliceIds = slices
    request.kind = kind.wire
    request.annotator = annotator
    return try await channel.call("Storage/Reveal", request, replying: Activeseg_V1_RevealReply.self, options: write)
      .annotations.map(StoredAnnotation.init(wire:))
  }

  /// Stores a person's annotation, `mask` one uint8 per pixel of the slice (4 = not annotated); the reply is sent
  /// only once it is committed.
  public func putAnnotation(
    slice: Int64, kind: Supervision, annotator: String, mask: [UInt8], height: Int, width: Int, costSeconds: Double
  ) async throws -> StoredAnnotation {
    var request = Activeseg_V1_PutAnnotationRequest()
    request.sliceID = slice
    request.kind = kind.wire
    request.annotator = annotator
    request.mask = WireTensor(uint8: mask, shape: [height, width])
    request.costSeconds = costSeconds
    return StoredAnnotation(
      wire: try await channel.call(
        "Storage/PutAnnotation", request, replying: Activeseg_V1_PutAnnotationReply.self, options: write
      ).annotation)
  }

  /// The latest annotation of each of `slices` that has one (without masks).
  public func latestAnnotations(_ slices: [Int64]) async throws -> [StoredAnnotation] {
    guard !slices.isEmpty else { return [] }
    var request = Activeseg_V1_GetAnnotationsRequest()
    request.sliceIds = slices
    return try await channel.call(
      "Storage/GetAnnotations", request, replying: Activeseg_V1_GetAnnotationsReply.self, options: read
    ).annotations.map(StoredAnnotation.init(wire:))
  }
}
