// The trainer's jobs: Train (a segmentation model on the labeled slices, best on validation, scored on test),
// Evaluate (a stored model on a split) and Predict (class probabilities, optionally MC dropout, for the
// uncertainty strategies). Pixels and labels come from the storage service; compute runs on its own thread.
import ActiveLearning
import Foundation
import Logging
import Messaging
import Protos
import Randomness
import Segmentation
import ServiceKit
import SwiftProtobuf
import TensorCore

struct TrainerJobs: Sendable {
  let storage: StorageClient
  let logger: Logger

  func handle(_ assignment: JobAssignment, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws
    -> [UInt8]
  {
    switch try JobKind(assigned: assignment.jobKind, runs: TrainerService.jobKinds, worker: "trainer") {
    case .train:
      try await train(Activeseg_V1_TrainRequest(serializedBytes: assignment.payload), progress).serializedBytes()
    case .evaluate:
      try await evaluate(Activeseg_V1_EvaluateRequest(serializedBytes: assignment.payload)).serializedBytes()
    case .predict:
      try await predict(Activeseg_V1_PredictRequest(serializedBytes: assignment.payload)).serializedBytes()
    case .trainEncoder, .embed: preconditionFailure("JobKind(assigned:) admits the trainer's kinds only")
    }
  }

  // MARK: - Train

  func train(
    _ request: Activeseg_V1_TrainRequest,
    _ progress: @escaping @Sendable (ProgressEvent) -> Void
  ) async throws -> Activeseg_V1_TrainReply {
    let started = ContinuousClock.now
    let preset = try invalid { try Self.preset(request.preset) }
    guard !request.labeled.isEmpty else {
      throw ServiceError(.failedPrecondition, "Train needs labeled slices; select and annotate some first")
    }
    let dataset = try await storage.dataset(request.datasetID)
    let kind = try supervision(request)
    let slices = try await storage.slicesWithAnnotations(request.labeled.map(\.sliceID)).map { slice -> TrainingSlice in
      guard let label = slice.annotation else {
        throw ServiceError(
          .failedPrecondition, "slice \(slice.id) has no annotation; reveal or annotate it before training")
      }
      return TrainingSlice(height: slice.height, width: slice.width, image: slice.image, label: label)
    }
    let validation = try await labeledVolumes(dataset: request.datasetID, split: .val)
    let fraction =
      request.labeledFraction > 0 ? request.labeledFraction : Double(slices.count) / Double(max(1, dataset.trainSlices))
    let trainer = SegmentationTrainer(
      preset: preset, classes: Int(dataset.numClasses), kind: kind, seed: request.seed, member: Int(request.member))
    logger.info(
      "training started",
      metadata: [
        "dataset": "\(request.datasetID)", "slices": "\(slices.count)", "preset": "\(preset.name)",
        "kind": "\(kind.rawValue)", "member": "\(request.member)"
      ])
    let throttle = ProgressThrottle()
    let result = try await onDedicatedThread(name: "train") {
      try trainer.train(
        slices: slices, validation: validation, labeledFraction: fraction,
        progress: { step in
          guard throttle.due(step.iteration == step.totalIterations || step.validationDice != nil) else { return }
          var event = ProgressEvent()
          if request.experimentID != 0 { event.topic = "experiment-\(request.experimentID)" }
          event.kind = "train"
          event.message = "member \(request.member)"
          let elapsed = ContinuousClock.now - started
          let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
          if step.iteration > 0 {
            event.etaSeconds = seconds / Double(step.iteration) * Double(step.totalIterations - step.iteration)
          }
          event.iteration = Int64(step.iteration)
          event.totalIterations = Int64(step.totalIterations)
          event.loss = Double(step.loss)
          event.learningRate = Double(step.learningRate)
          event.bestDice = step.bestDice
          progress(event)
        })
    }
    let metadata = String(
      decoding: try JSONSerialization.data(
        withJSONObject: [
          "preset": preset.name, "seed": "\(request.seed)", "member": "\(request.member)", "kind": kind.rawValue,
          "dataset": "\(request.datasetID)", "best_iteration": "\(result.bestIteration)"
        ], options: [.sortedKeys]), as: UTF8.self)
    var reply = Activeseg_V1_TrainReply()
    reply.checkpointID = try await storage.putCheckpoint(
      kind: kind == .scribble ? "unet_cct" : "unet", metadataJSON: metadata,
      blob: result.checkpoint, experiment: request.experimentID, round: request.roundID)
    if let best = result.bestMetrics { reply.validation = Self.wire(best) }
    let test = try await labeledVolumes(dataset: request.datasetID, split: .test)
    if !test.isEmpty {
      let model = try invalid { try SegmentationModel(checkpoint: result.checkpoint) }
      reply.test = Self.wire(try await onDedicatedThread(name: "evaluate") { model.evaluate(test) })
    }
    reply.iterations = Int64(result.completedIterations)
    reply.bestIteration = Int64(result.bestIteration)
    let elapsed = ContinuousClock.now - started
    reply.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    logger.info(
      "training done",
      metadata: [
        "checkpoint": "\(reply.checkpointID)", "val_dice": "\(reply.validation.meanDice)",
        "test_dice": "\(reply.test.meanDice)", "seconds": "\(reply.seconds)"
      ])
    return reply
  }

  // MARK: - Evaluate and Predict

  func evaluate(_ request: Activeseg_V1_EvaluateRequest) async throws -> Activeseg_V1_EvaluateReply {
    let model = try await model(request.checkpointID)
    let split = SliceSplit(wire: request.split) ?? .test
    let volumes = try await labeledVolumes(dataset: request.datasetID, split: split)
    guard !volumes.isEmpty else {
      throw ServiceError(.failedPrecondition, "dataset \(request.datasetID) has no \(split) volumes with ground truth")
    }
    var reply = Activeseg_V1_EvaluateReply()
    reply.metrics = Self.wire(try await onDedicatedThread(name: "evaluate") { model.evaluate(volumes) })
    return reply
  }

  func predict(_ request: Activeseg_V1_PredictRequest) async throws -> Activeseg_V1_PredictReply {
    guard request.mcPasses >= 0 && request.mcPasses <= 100 else {
      throw ServiceError(
        .invalidArgument, "mc_passes must be 0 (one deterministic pass) to 100, got \(request.mcPasses)")
    }
    let model = try await model(request.checkpointID)
    let passes = Int(request.mcPasses), seed = request.seed
    guard request.store else {
      let images = try await storage.images(request.sliceIds).map {
        Plane(height: $0.height, width: $0.width, values: $0.pixels)
      }
      let probabilities = try await onDedicatedThread(name: "predict") {
        model.predictProbabilities(images, mcPasses: passes, seed: seed)
      }
      var reply = Activeseg_V1_PredictReply()
      reply.predictions = zip(request.sliceIds, probabilities).map { id, tensor in
        var prediction = Activeseg_V1_SlicePrediction()
        prediction.sliceID = id
        prediction.probabilities = WireTensor(float32: tensor.data, shape: tensor.shape)
        return prediction
      }
      return reply
    }
    // Stored: each slice's passes reduced to the mean softmax and mean pass entropy, a chunk at a time.
    var reply = Activeseg_V1_PredictReply()
    for start in stride(from: 0, to: request.sliceIds.count, by: Self.predictChunk) {
      let ids = Array(request.sliceIds[start..<min(start + Self.predictChunk, request.sliceIds.count)])
      let images = try await storage.images(ids).map { Plane(height: $0.height, width: $0.width, values: $0.pixels) }
      let chunkSeed = SplitMix64.derive(seed, UInt64(start))
      let reduced = try await onDedicatedThread(name: "predict") {
        model.predictProbabilities(images, mcPasses: passes, seed: chunkSeed).map { tensor in
          let shape = tensor.shape  // [T, C, H, W]
          let passes = ClassProbabilities(
            members: shape[0], slices: 1, classes: shape[1], pixels: shape[2] * shape[3], values: tensor.data)
          let summary = DropoutSummary.reduce(passes, slice: 0)
          return (shape, summary.mean.map { Float($0) }, summary.expectedEntropy)
        }
      }
      try await storage.putPredictions(
        zip(ids, reduced).map { id, prediction in
          StoredPrediction(
            checkpointID: request.checkpointID, sliceID: id, passes: prediction.0[0],
            shape: Array(prediction.0.dropFirst()), probabilities: prediction.1, expectedEntropy: prediction.2)
        })
      reply.stored += Int64(ids.count)
    }
    logger.info(
      "predictions stored",
      metadata: ["checkpoint": "\(request.checkpointID)", "slices": "\(reply.stored)", "passes": "\(max(1, passes))"])
    return reply
  }

  /// Slices predicted and stored per chunk, so a pool of any size needs bounded memory.
  static let predictChunk = 32

  // MARK: - Helpers

  static func preset(_ name: String) throws -> TrainingPreset {
    name.contains("\n")
      ? try TrainingPreset(yaml: name) : try TrainingPreset.builtIn(named: name.isEmpty ? "cpu" : name)
  }

  /// The supervision of a Train request: as asked, or scribble when any labeled slice is a scribble.
  private func supervision(_ request: Activeseg_V1_TrainRequest) throws -> AnnotationKind {
    switch request.supervision {
    case .scribble: return .scribble
    case .full:
      if let scribble = request.labeled.first(where: { $0.kind == .scribble }) {
        throw ServiceError(
          .invalidArgument,
          "full supervision was asked but slice \(scribble.sliceID) has only a scribble; train with SCRIBBLE or annotate full masks"
        )
      }
      return .full
    default: return request.labeled.contains { $0.kind == .scribble } ? .scribble : .full
    }
  }

  private func model(_ checkpoint: Int64) async throws -> SegmentationModel {
    let stored = try await storage.checkpoint(checkpoint)
    guard stored.kind == "unet" || stored.kind == "unet_cct" else {
      throw ServiceError(
        .invalidArgument,
        "checkpoint \(checkpoint) is a '\(stored.kind)', not a segmentation model; pass an id that Train returned")
    }
    return try invalid { try SegmentationModel(checkpoint: [UInt8](stored.blob)) }
  }

  private func labeledVolumes(dataset: Int64, split: SliceSplit) async throws -> [LabeledVolume] {
    try await storage.volumes(dataset: dataset, split: split).compactMap { volume in
      volume.label.map { label in
        LabeledVolume(
          depth: volume.shape[0], height: volume.shape[1], width: volume.shape[2], image: volume.image, label: label,
          spacing: volume.spacing.count == 3 && volume.spacing.allSatisfy { $0 > 0 } ? volume.spacing : [1, 1, 1])
      }
    }
  }

  static func wire(_ summary: EvaluationSummary) -> Activeseg_V1_Metrics {
    var metrics = Activeseg_V1_Metrics()
    metrics.meanDice = summary.meanDice
    metrics.meanHd95 = summary.meanHD95
    metrics.meanHd95Mm = summary.meanHD95Millimetres
    metrics.classDice = summary.perClass.map(\.dice)
    metrics.classHd95 = summary.perClass.map(\.hd95)
    metrics.classHd95Mm = summary.perClass.map(\.hd95Millimetres)
    metrics.volumes = Int32(summary.volumes.count)
    metrics.volumeDice = summary.volumes.map { classes in classes.reduce(0) { $0 + $1.dice } / Double(classes.count) }
    return metrics
  }

  /// Runs `body`, keeping what kind of failure it was: a bad preset is the request's (INVALID_ARGUMENT), bad
  /// stored data or a damaged checkpoint is storage's (FAILED_PRECONDITION), a cancel is CANCELLED, anything
  /// else is INTERNAL; the original error is the cause.
  private func invalid<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ServiceError { throw error } catch let error as SegmentationError {
      let code: ServiceError.Code =
        switch error.code {
        case .invalidPreset, .malformedPreset: .invalidArgument
        case .invalidData, .badCheckpoint: .failedPrecondition
        case .cancelled: .cancelled
        default: .internal
        }
      throw ServiceError(code, error.message, cause: error)
    } catch {
      throw ServiceError(.internal, "\(error)", cause: error)
    }
  }
}

/// Lets a progress event through at most every half second (and always for validations and the last step).
final class ProgressThrottle: @unchecked Sendable {
  private let lock = NSLock()
  private var last = ContinuousClock.now - .seconds(1)

  func due(_ force: Bool) -> Bool {
    lock.withLock {
      let now = ContinuousClock.now
      guard force || now - last >= .milliseconds(500) else { return false }
      last = now
      return true
    }
  }
}
