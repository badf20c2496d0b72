// Typed storage calls for the gateway: datasets and experiments, rounds, the oracle's reveal, and
// annotations submitted by people.
import Foundation
import Messaging
import Protos

extension StorageClient {
  public func datasets() async throws -> [Activeseg_V1_Dataset] {
    try await channel.call(
      "Storage/ListDatasets", Activeseg_V1_ListDatasetsRequest(), replying: Activeseg_V1_ListDatasetsReply.self,
      options: read
    ).datasets
  }

  public func experiment(_ id: Int64) async throws -> Activeseg_V1_Experiment {
    var request = Activeseg_V1_GetExperimentRequest()
    request.id = id
    return try await channel.call(
      "Storage/GetExperiment", request, replying: Activeseg_V1_GetExperimentReply.self, options: read
    ).experiment
  }

  public func experiments() async throws -> [Activeseg_V1_Experiment] {
    try await channel.call(
      "Storage/ListExperiments", Activeseg_V1_ListExperimentsRequest(),
      replying: Activeseg_V1_ListExperimentsReply.self,
      options: read
    ).experiments
  }

  /// Creates (id 0) or updates an experiment.
  @discardableResult
  public func putExperiment(_ experiment: Activeseg_V1_Experiment, actor: String) async throws
    -> Activeseg_V1_Experiment
  {
    var request = Activeseg_V1_PutExperimentRequest()
    request.experiment = experiment
    request.actor = actor
    return try await channel.call(
      "Storage/PutExperiment", request, replying: Activeseg_V1_PutExperimentReply.self, options: write
    ).experiment
  }

  /// Creates or replaces the round (experiment, strategy, seed, index).
  public func putRound(_ round: Activeseg_V1_Round, actor: String) async throws {
    var request = Activeseg_V1_PutRoundRequest()
    request.round = round
    request.actor = actor
    _ = try await channel.call("Storage/PutRound", request, replying: Activeseg_V1_PutRoundReply.self, options: write)
  }

  public func rounds(experiment: Int64) async throws -> [Activeseg_V1_Round] {
    var request = Activeseg_V1_ListRoundsRequest()
    request.experimentID = experiment
    return try await channel.call(
      "Storage/ListRounds", request, replying: Activeseg_V1_ListRoundsReply.self, options: read
    ).rounds
  }

  /// The oracle reveals the stored ground truth of `slices` as annotations of `kind` and charges their cost.
  public func reveal(_ slices: [Int64], kind: Activeseg_V1_AnnotationKind, annotator: String) async throws
    -> Activeseg_V1_RevealReply
  {
    var request = Activeseg_V1_RevealRequest()
    request.sliceIds = slices
    request.kind = kind
    request.annotator = annotator
    return try await channel.call("Storage/Reveal", request, replying: Activeseg_V1_RevealReply.self, options: write)
  }

  /// Stores a person's annotation; the reply is sent only once it is committed.
  public func putAnnotation(
    slice: Int64, kind: Activeseg_V1_AnnotationKind, annotator: String, mask: Activeseg_V1_Tensor,
    costSeconds: Double
  ) async throws -> Activeseg_V1_Annotation {
    var request = Activeseg_V1_PutAnnotationRequest()
    request.sliceID = slice
    request.kind = kind
    request.annotator = annotator
    request.mask = mask
    request.costSeconds = costSeconds
    return try await channel.call(
      "Storage/PutAnnotation", request, replying: Activeseg_V1_PutAnnotationReply.self, options: write
    ).annotation
  }

  /// The latest annotation of each of `slices` that has one (without masks).
  public func latestAnnotations(_ slices: [Int64]) async throws -> [Activeseg_V1_Annotation] {
    guard !slices.isEmpty else { return [] }
    var request = Activeseg_V1_GetAnnotationsRequest()
    request.sliceIds = slices
    return try await channel.call(
      "Storage/GetAnnotations", request, replying: Activeseg_V1_GetAnnotationsReply.self, options: read
    ).annotations
  }
}
