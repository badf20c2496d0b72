// Every request decoder of the five services, by method, for fuzzing: a router that decodes each method's
// request type (and re-encodes what it decoded), and realistic seed payloads to mutate.
import Foundation
import Messaging
import Protos
import SwiftProtobuf

/// One method and the request type its handler decodes.
public struct FuzzTarget: Sendable {
  public let method: String
  public let type: any SwiftProtobuf.Message.Type
  /// A valid, realistic request payload to mutate.
  public let seed: [UInt8]
}

public enum FuzzTargets {
  private static func target<M: SwiftProtobuf.Message>(
    _ method: String, _ type: M.Type, _ fill: (inout M) -> Void = { _ in }
  ) -> FuzzTarget {
    var message = M()
    fill(&message)
    return FuzzTarget(method: method, type: type, seed: (try? message.serializedBytes()) ?? [])
  }

  private static func tensor(_ dtype: Activeseg_V1_DType, _ shape: [Int64], _ bytes: Int) -> Activeseg_V1_Tensor {
    var tensor = Activeseg_V1_Tensor()
    tensor.dtype = dtype
    tensor.shape = shape
    tensor.data = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 * 7) })
    return tensor
  }

  /// Every RPC method of every service with its request type, plus the work socket's and the events' messages.
  public static let all: [FuzzTarget] = {
    typealias V = Activeseg_V1_HealthRequest
    var targets = ["Storage", "Selector", "Gateway", "Trainer", "Embedder"].map { target("\($0)/Health", V.self) }
    targets += [
      target("Storage/Import", Activeseg_V1_ImportRequest.self) {
        $0.format = "phantom"; $0.name = "ph"; $0.path = "/data/x"; $0.sliceSize = 64; $0.seed = 3; $0.actor = "alice"
        $0.phantom.patients = 4; $0.phantom.size = 32; $0.phantom.minSlices = 4; $0.phantom.maxSlices = 6
      },
      target("Storage/ListDatasets", Activeseg_V1_ListDatasetsRequest.self),
      target("Storage/DeleteDataset", Activeseg_V1_DeleteDatasetRequest.self) { $0.name = "no-such-dataset" },
      target("Storage/ListSlices", Activeseg_V1_ListSlicesRequest.self) {
        $0.datasetID = 1; $0.split = .train
      },
      target("Storage/GetSlices", Activeseg_V1_GetSlicesRequest.self) {
        $0.sliceIds = [1, 2, 300, 70000]; $0.withAnnotations = true
      },
      target("Storage/GetVolumes", Activeseg_V1_GetVolumesRequest.self) {
        $0.datasetID = 1; $0.split = .test
      },
      target("Storage/PutAnnotation", Activeseg_V1_PutAnnotationRequest.self) {
        $0.sliceID = 5; $0.kind = .scribble; $0.mask = tensor(.uint8, [4, 4], 16); $0.annotator = "ann1";
        $0.costSeconds = 1.5
      },
      target("Storage/GetAnnotations", Activeseg_V1_GetAnnotationsRequest.self) {
        $0.datasetID = 1; $0.sliceIds = [5, 6]; $0.withMasks = true
      },
      target("Storage/Reveal", Activeseg_V1_RevealRequest.self) {
        $0.sliceIds = [5]; $0.kind = .full; $0.annotator = "oracle"
      },
      target("Storage/PutCheckpoint", Activeseg_V1_PutCheckpointRequest.self) {
        $0.checkpoint.kind = "unet"; $0.checkpoint.metadataJson = "{\"a\":1}";
        $0.checkpoint.blob = Data(repeating: 9, count: 64)
      },
      target("Storage/GetCheckpoint", Activeseg_V1_GetCheckpointRequest.self) {
        $0.id = 3; $0.withoutBlob = true
      },
      target("Storage/PutEmbeddings", Activeseg_V1_PutEmbeddingsRequest.self) {
        $0.encoderID = 2; $0.sliceIds = [1, 2]; $0.vectors = tensor(.float32, [2, 4], 32)
      },
      target("Storage/GetEmbeddings", Activeseg_V1_GetEmbeddingsRequest.self) { $0.encoderID = 2 },
      target("Storage/PutPredictions", Activeseg_V1_PutPredictionsRequest.self) {
        var prediction = Activeseg_V1_StoredPrediction()
        prediction.checkpointID = 3
        prediction.sliceID = 5
        prediction.passes = 4
        prediction.probabilities = tensor(.float32, [2, 2, 2], 32)
        prediction.expectedEntropy = 0.3
        $0.predictions = [prediction]
      },
      target("Storage/GetPredictions", Activeseg_V1_GetPredictionsRequest.self) {
        $0.checkpointIds = [3]; $0.sliceIds = [5, 6]
      },
      target("Storage/PutExperiment", Activeseg_V1_PutExperimentRequest.self) {
        $0.experiment.name = "e"; $0.experiment.configYaml = "name: e\nseeds: [0]"; $0.experiment.state = "running";
        $0.actor = "ada"
      },
      target("Storage/GetExperiment", Activeseg_V1_GetExperimentRequest.self) {
        $0.id = 1; $0.name = "e"
      },
      target("Storage/ListExperiments", Activeseg_V1_ListExperimentsRequest.self),
      target("Storage/PutRound", Activeseg_V1_PutRoundRequest.self) {
        $0.round.experimentID = 1; $0.round.strategy = "ours"; $0.round.seed = 2; $0.actor = "gateway"
      },
      target("Storage/ListRounds", Activeseg_V1_ListRoundsRequest.self) { $0.experimentID = 1 },
      target("Storage/PutSelection", Activeseg_V1_PutSelectionRequest.self) {
        $0.roundID = 4; $0.picks = [Activeseg_V1_Pick(), Activeseg_V1_Pick()]; $0.actor = "x"
      },
      target("Storage/GetSelection", Activeseg_V1_GetSelectionRequest.self) { $0.roundID = 4 },
      target("Storage/PutScan", Activeseg_V1_PutScanRequest.self) {
        $0.likeDatasetID = 1; $0.scan.name = "s.nii.gz"; $0.scan.image = tensor(.float32, [2, 4, 4], 128);
        $0.scan.valueKind = "float32"; $0.actor = "ada"
      },
      target("Selector/Select", Activeseg_V1_SelectRequest.self) {
        $0.strategy = "ours"; $0.datasetID = 1; $0.budget = 5; $0.labeledSliceIds = [1, 2]; $0.seed = 4;
        $0.encoderID = 2
      },
      target("Selector/ListStrategies", Activeseg_V1_ListStrategiesRequest.self),
      target("Gateway/ListWorkers", Activeseg_V1_ListWorkersRequest.self),
      target("Gateway/RunExperiment", Activeseg_V1_RunExperimentRequest.self) {
        $0.configYaml = "name: demo\ndataset: ph\n"; $0.actor = "ada"
      },
      target("Gateway/ResumeExperiment", Activeseg_V1_ResumeExperimentRequest.self) {
        $0.experimentID = 3; $0.actor = "ada"
      },
      target("Gateway/ExperimentStatus", Activeseg_V1_ExperimentStatusRequest.self) { $0.experimentID = 3 },
      target("Gateway/ListExperiments", Activeseg_V1_ExperimentListRequest.self),
      target("Gateway/CancelExperiment", Activeseg_V1_CancelExperimentRequest.self) { $0.experimentID = 999 },
      target("Gateway/Report", Activeseg_V1_ReportRequest.self) {
        $0.experimentID = 3; $0.outputDir = "/tmp/r"
      },
      target("Gateway/AnnotateNext", Activeseg_V1_AnnotateNextRequest.self) {
        $0.experimentID = 3; $0.annotator = "ann1"; $0.count = 4
      },
      target("Gateway/AnnotationProgress", Activeseg_V1_AnnotationProgressRequest.self) { $0.experimentID = 3 },
      target("Gateway/Segment", Activeseg_V1_SegmentRequest.self) {
        $0.experimentID = 3; $0.strategy = "ours"; $0.seed = 1; $0.sliceIds = [7]
      },
      target("Gateway/AnnotateSubmit", Activeseg_V1_AnnotateSubmitRequest.self) {
        $0.experimentID = 3; $0.sliceID = 9; $0.kind = .full; $0.mask = tensor(.uint8, [4, 4], 16); $0.secondsSpent = 12
      },
      target("Trainer/Train", Activeseg_V1_TrainRequest.self) {
        $0.datasetID = 1; $0.preset = "smoke"; $0.seed = 5; $0.supervision = .scribble;
        $0.labeled = [Activeseg_V1_LabeledSlice()]
      },
      target("Trainer/Evaluate", Activeseg_V1_EvaluateRequest.self) {
        $0.checkpointID = 2; $0.datasetID = 1; $0.split = .val
      },
      target("Trainer/Predict", Activeseg_V1_PredictRequest.self) {
        $0.checkpointID = 2; $0.sliceIds = [1, 2]
      },
      target("Embedder/TrainEncoder", Activeseg_V1_TrainEncoderRequest.self) {
        $0.datasetID = 1; $0.seed = 1
      },
      target("Embedder/Embed", Activeseg_V1_EmbedRequest.self) {
        $0.encoderID = 2; $0.datasetID = 1
      },
      target("Work/Message", Activeseg_V1_WorkMessage.self) {
        $0.hello.workerID = "trainer-1"; $0.hello.kind = "trainer"; $0.hello.jobKinds = ["Train", "Evaluate"]
      },
      target("Events/Progress", Activeseg_V1_ProgressEvent.self) {
        $0.topic = "experiment-1"; $0.kind = "round"; $0.step = "train"; $0.message = "round 1"; $0.round = 2;
        $0.iteration = 40; $0.loss = 0.25
      }
    ]
    return targets
  }()

  /// A router answering every target's method: it decodes the request as the real handler would, and
  /// re-encodes what it decoded (so whatever a mutated frame turned into also goes through the encoder).
  public static func decodingRouter() -> RPCRouter {
    var router = RPCRouter(maxRequestBytes: 1 << 20)
    for target in all {
      let type = target.type
      router.registerRaw(target.method) { payload, _ in
        do {
          return try type.init(serializedBytes: payload).serializedBytes()
        } catch {
          throw ServiceError(
            .invalidArgument, "\(target.method): the payload is not a valid \(type.protoMessageName): \(error)")
        }
      }
    }
    return router
  }
}
