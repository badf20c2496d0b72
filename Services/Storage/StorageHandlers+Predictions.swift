// Storage methods for predictions: per-model class probabilities of slices, written by the trainer's
// Predict and read by the selector's uncertainty strategies.
import Foundation
import Messaging
import Persistence
import Protos
import ServiceKit

extension StorageHandlers {
  func registerPredictions(on router: inout RPCRouter) {
    router.register("Storage/PutPredictions") { (request: Activeseg_V1_PutPredictionsRequest, context) in
      let predictions = try request.predictions.map { wire -> SlicePrediction in
        let what = "probabilities of slice \(wire.sliceID) by checkpoint \(wire.checkpointID)"
        let shape = wire.probabilities.shape.map(Int.init)
        guard shape.count == 3 else {
          throw ServiceError(.invalidArgument, "\(what) must have shape [C, H, W], got \(shape)")
        }
        return SlicePrediction(
          checkpointId: wire.checkpointID, sliceId: wire.sliceID, passes: Int(max(1, wire.passes)),
          classes: shape[0], height: shape[1], width: shape[2],
          probabilities: try wire.probabilities.floats(what), expectedEntropy: wire.expectedEntropy)
      }
      return try await run { store in
        try store.putPredictions(predictions, actor: context.caller.isEmpty ? "unknown" : context.caller)
        var reply = Activeseg_V1_PutPredictionsReply()
        reply.stored = Int64(predictions.count)
        return reply
      }
    }

    router.register("Storage/GetPredictions") { (request: Activeseg_V1_GetPredictionsRequest, _) in
      guard !request.checkpointIds.isEmpty else {
        throw ServiceError(
          .invalidArgument, "GetPredictions needs checkpoint_ids: the models whose predictions to read")
      }
      return try await run { store in
        var reply = Activeseg_V1_GetPredictionsReply()
        reply.predictions = try store.predictions(checkpointIds: request.checkpointIds, sliceIds: request.sliceIds).map
        { p in
          var wire = Activeseg_V1_StoredPrediction()
          wire.checkpointID = p.checkpointId
          wire.sliceID = p.sliceId
          wire.passes = Int32(p.passes)
          wire.probabilities = WireTensor(float32: p.probabilities, shape: [p.classes, p.height, p.width])
          wire.expectedEntropy = p.expectedEntropy
          return wire
        }
        return reply
      }
    }
  }
}
