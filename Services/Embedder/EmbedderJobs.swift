// The embedder's jobs: TrainEncoder (group-contrastive training on every training slice of a dataset) and
// Embed (one eval-mode embedding per slice, written to storage). Pixels come from the storage service.
import Foundation
import Imaging
import Logging
import Messaging
import MetricLearning
import NeuralNet
import Protos
import ServiceKit
import TensorCore

struct EmbedderJobs: Sendable {
  let storage: StorageClient
  let logger: Logger
  /// Weights to start the encoder from (`--pretrained`), matched by name and shape; nil = random init.
  var pretrained: ParameterStore? = nil

  func handle(_ assignment: JobAssignment, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws
    -> [UInt8]
  {
    switch try JobKind(assigned: assignment.jobKind, runs: EmbedderService.jobKinds, worker: "embedder") {
    case .trainEncoder:
      try await trainEncoder(Activeseg_V1_TrainEncoderRequest(serializedBytes: assignment.payload), progress)
        .serializedBytes()
    case .embed: try await embed(Activeseg_V1_EmbedRequest(serializedBytes: assignment.payload)).serializedBytes()
    case .train, .evaluate, .predict: preconditionFailure("JobKind(assigned:) admits the embedder's kinds only")
    }
  }

  func trainEncoder(
    _ request: Activeseg_V1_TrainEncoderRequest,
    _ progress: @escaping @Sendable (ProgressEvent) -> Void
  ) async throws -> Activeseg_V1_TrainEncoderReply {
    let started = ContinuousClock.now
    let preset = try invalid { try EncoderPreset.named(request.preset) }
    let slices = try await storage.slices(dataset: request.datasetID, split: .train)
    guard !slices.isEmpty else {
      throw ServiceError(.failedPrecondition, "dataset \(request.datasetID) has no training slices; import one first")
    }
    let images = try await grayImages(slices.map(\.id), size: preset.size)
    var patientIndex: [String: Int] = [:]
    let keys = slices.map { slice in
      let patient =
        patientIndex[slice.patient]
        ?? {
          patientIndex[slice.patient] = patientIndex.count; return patientIndex.count - 1
        }()
      return SliceKey(patient: patient, volume: Int(slice.volumeID), position: Int(slice.position))
    }
    var config = ContrastiveTrainingConfig(encoder: preset.encoder, epochs: preset.epochs, seed: request.seed)
    if request.hasWeights { try apply(request.weights, to: &config) }
    let trainingConfig = config
    var initial: ParameterStore?
    if let pretrained {
      var store = try invalid { try ContrastiveTrainer(config: trainingConfig).initialParameters() }
      let (loaded, skipped) = ContrastiveNet.loadMatching(pretrained, into: &store)
      guard !loaded.isEmpty else {
        throw ServiceError(
          .failedPrecondition,
          "the pretrained weights match no tensor of the '\(preset.name)' encoder by name and shape (e.g. \(store.names.prefix(2).joined(separator: ", "))); check --pretrained-prefix and the preset's width and depth"
        )
      }
      logger.info(
        "starting from pretrained weights", metadata: ["loaded": "\(loaded.count)", "skipped": "\(skipped.count)"])
      initial = store
    }
    let start = initial
    logger.info(
      "encoder training started",
      metadata: ["dataset": "\(request.datasetID)", "preset": "\(preset.name)", "slices": "\(slices.count)"])
    let result = try await onDedicatedThread(name: "train-encoder") {
      ComputeThreads.set(preset.threads == 0 ? ComputeThreads.available : preset.threads)
      return try ContrastiveTrainer(config: trainingConfig).train(
        images: images, slices: keys, initial: start,
        progress: { epoch, loss in
          var event = ProgressEvent()
          event.kind = "train_encoder"
          event.iteration = Int64(epoch)
          event.totalIterations = Int64(preset.epochs)
          event.loss = loss
          event.message = "epoch \(epoch)/\(preset.epochs) loss \(String(format: "%.4f", loss))"
          progress(event)
        })
    }
    let checkpoint = EncoderCheckpointConfig(preset: preset, datasetID: request.datasetID, seed: request.seed)
    let blob = try Checkpoint(config: checkpoint, store: result.store).encoded()
    let metadata = String(
      decoding: try JSONEncoder().encode([
        "preset": preset.name, "dataset": "\(request.datasetID)",
        "seed": "\(request.seed)"
      ]), as: UTF8.self)
    var reply = Activeseg_V1_TrainEncoderReply()
    reply.encoderID = try await storage.putCheckpoint(
      kind: "encoder", metadataJSON: metadata, blob: blob, experiment: request.experimentID)
    reply.epochs = Int32(result.epochLosses.count)
    reply.finalLoss = result.epochLosses.last ?? 0
    let elapsed = ContinuousClock.now - started
    reply.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    logger.info(
      "encoder training done",
      metadata: ["encoder": "\(reply.encoderID)", "loss": "\(reply.finalLoss)", "seconds": "\(reply.seconds)"])
    return reply
  }

  func embed(_ request: Activeseg_V1_EmbedRequest) async throws -> Activeseg_V1_EmbedReply {
    let stored = try await storage.checkpoint(request.encoderID)
    guard stored.kind == "encoder" else {
      throw ServiceError(
        .invalidArgument,
        "checkpoint \(request.encoderID) is a '\(stored.kind)', not an encoder; pass the id TrainEncoder returned")
    }
    let checkpoint = try invalid { try Checkpoint<EncoderCheckpointConfig>(decoding: [UInt8](stored.blob)) }
    let dataset = request.datasetID != 0 ? request.datasetID : checkpoint.config.datasetID
    let slices = try await storage.slices(dataset: dataset)
    let images = try await grayImages(slices.map(\.id), size: checkpoint.config.preset.size)
    let preset = checkpoint.config.preset
    let features = try await onDedicatedThread(name: "embed") {
      ComputeThreads.set(preset.threads == 0 ? ComputeThreads.available : preset.threads)
      return FeatureExtractor(config: preset.encoder, store: checkpoint.store).embeddings(images)
    }
    let dimension = preset.encoder.featureDimension
    try await storage.putEmbeddings(
      encoder: request.encoderID, sliceIDs: slices.map(\.id), vectors: features.data, dimension: dimension)
    var reply = Activeseg_V1_EmbedReply()
    reply.embedded = Int64(slices.count)
    reply.dimension = Int32(dimension)
    return reply
  }

  private func grayImages(_ ids: [Int64], size: Int) async throws -> [GrayImage] {
    try await storage.images(ids).map { image in
      guard size > 0, size != image.height || size != image.width else {
        return GrayImage(height: image.height, width: image.width, pixels: image.pixels)
      }
      let pixels = NearestResize.resize(
        image.pixels, height: image.height, width: image.width, outHeight: size, outWidth: size)
      return GrayImage(height: size, width: size, pixels: pixels)
    }
  }

  private func apply(_ weights: Activeseg_V1_ContrastiveWeights, to config: inout ContrastiveTrainingConfig) throws {
    if weights.ntXent > 0 { config.loss.ntXentWeight = Float(weights.ntXent) }
    // The positive terms are (volume loss: patient slice masked, patient loss: nothing masked), as the spec.
    if weights.volume > 0 || weights.patient > 0 {
      config.loss.positiveTerms = [
        GroupPositiveTerm(weight: Float(weights.volume), excludedRoles: [.patient]),
        GroupPositiveTerm(weight: Float(weights.patient), excludedRoles: [])
      ]
    }
    if weights.temperature > 0 { config.loss.temperature = Float(weights.temperature) }
    switch weights.positiveMode {
    case "": break
    case "groupOnly": config.loss.positiveForm = .groupOnly
    case "allOthers": config.loss.positiveForm = .allOthers
    default:
      throw ServiceError(
        .invalidArgument, "positive_mode must be groupOnly or allOthers, got '\(weights.positiveMode)'")
    }
  }

  /// Runs `body`, turning configuration and checkpoint errors into INVALID_ARGUMENT with their message.
  private func invalid<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ServiceError { throw error } catch {
      throw ServiceError(.invalidArgument, "\(error)")
    }
  }
}
