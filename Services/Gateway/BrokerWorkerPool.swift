// The orchestration's workers over the gateway's work broker: each job is a protobuf request to whichever
// trainer or embedder is free.
import Experiments
import Messaging
import Orchestration
import Protos
import SwiftProtobuf

struct BrokerWorkerPool: WorkerPool {
  let broker: WorkBroker

  func trainEncoder(_ job: EncoderJob) async throws -> TrainedEncoder {
    var request = Activeseg_V1_TrainEncoderRequest()
    request.datasetID = job.dataset
    request.preset = job.preset
    request.experimentID = job.experiment
    request.seed = job.seed
    let reply = try Activeseg_V1_TrainEncoderReply(
      serializedBytes: try await broker.submit(.trainEncoder, payload: request.serializedBytes()))
    return TrainedEncoder(id: reply.encoderID, seconds: reply.seconds)
  }

  func embed(encoder: Int64, dataset: Int64) async throws {
    var request = Activeseg_V1_EmbedRequest()
    request.encoderID = encoder
    request.datasetID = dataset
    // Urgent: with several seeds queued, this seed's runs start once its own encoder is done, not after all.
    _ = try await broker.submit(.embed, payload: request.serializedBytes(), urgent: true)
  }

  func train(_ job: TrainingJob) async throws -> TrainedModel {
    let kind: Activeseg_V1_AnnotationKind = job.supervision == .scribble ? .scribble : .full
    var request = Activeseg_V1_TrainRequest()
    request.datasetID = job.dataset
    request.labeled = job.labeled.map {
      var slice = Activeseg_V1_LabeledSlice()
      slice.sliceID = $0
      slice.kind = kind
      return slice
    }
    request.preset = job.preset
    request.seed = job.seed
    request.member = Int32(job.member)
    request.supervision = kind
    request.experimentID = job.experiment
    request.labeledFraction = job.labeledFraction
    let reply = try Activeseg_V1_TrainReply(
      serializedBytes: try await broker.submit(.train, payload: request.serializedBytes()))
    return TrainedModel(
      checkpoint: reply.checkpointID,
      metrics: MemberMetrics(
        validationDice: reply.validation.meanDice, testClassDice: reply.test.classDice,
        testClassHD95: reply.test.classHd95, testVolumeDice: reply.test.volumeDice))
  }

  func predict(_ job: PredictionJob, urgent: Bool) async throws {
    var request = Activeseg_V1_PredictRequest()
    request.checkpointID = job.model
    request.sliceIds = job.slices
    request.mcPasses = Int32(job.mcPasses)
    request.seed = job.seed
    request.store = true
    _ = try await broker.submit(.predict, payload: request.serializedBytes(), urgent: urgent)
  }
}
