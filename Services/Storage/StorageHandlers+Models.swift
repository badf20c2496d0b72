// Storage methods for models: checkpoints (opaque blobs with metadata) and per-slice embeddings.
import Foundation
import Messaging
import Persistence
import Protos
import ServiceKit

extension StorageHandlers {
  func registerModels(on router: inout RPCRouter) {
    router.register("Storage/PutCheckpoint") { (request: Activeseg_V1_PutCheckpointRequest, context) in
      let checkpoint = request.checkpoint
      return try await run { store in
        let info = try store.putCheckpoint(
          kind: checkpoint.kind, experimentId: checkpoint.experimentID == 0 ? nil : checkpoint.experimentID,
          roundId: checkpoint.roundID == 0 ? nil : checkpoint.roundID,
          metadataJSON: checkpoint.metadataJson.isEmpty ? "{}" : checkpoint.metadataJson,
          data: checkpoint.blob, actor: context.caller.isEmpty ? "unknown" : context.caller)
        var reply = Activeseg_V1_PutCheckpointReply()
        reply.id = info.id
        return reply
      }
    }

    router.register("Storage/GetCheckpoint") { (request: Activeseg_V1_GetCheckpointRequest, _) in
      try await run { store in
        guard let (info, data) = try store.checkpoint(id: request.id) else {
          throw ServiceError(.notFound, "checkpoint \(request.id) does not exist; train a model first or check the id")
        }
        var reply = Activeseg_V1_GetCheckpointReply()
        reply.checkpoint.id = info.id
        reply.checkpoint.kind = info.kind
        reply.checkpoint.experimentID = info.experimentId ?? 0
        reply.checkpoint.roundID = info.roundId ?? 0
        reply.checkpoint.metadataJson = info.metadataJSON
        reply.checkpoint.createdUnixMs = info.createdAt.unixMilliseconds
        if !request.withoutBlob { reply.checkpoint.blob = data }
        return reply
      }
    }

    router.register("Storage/PutEmbeddings") { (request: Activeseg_V1_PutEmbeddingsRequest, context) in
      let values = try request.vectors.floats("embedding vectors")
      let rows = request.sliceIds.count
      guard request.vectors.shape.count == 2, Int(request.vectors.shape[0]) == rows, rows > 0 else {
        throw ServiceError(
          .invalidArgument,
          "embedding vectors must have shape [N, D] with N = \(rows) slice ids, got \(request.vectors.shape)")
      }
      let dimension = Int(request.vectors.shape[1])
      let vectors = (0..<rows).map {
        (sliceId: request.sliceIds[$0], vector: Array(values[($0 * dimension)..<(($0 + 1) * dimension)]))
      }
      return try await run { store in
        try store.putEmbeddings(
          checkpointId: request.encoderID, vectors, actor: context.caller.isEmpty ? "unknown" : context.caller)
        var reply = Activeseg_V1_PutEmbeddingsReply()
        reply.stored = Int64(rows)
        return reply
      }
    }

    router.register("Storage/GetEmbeddings") { (request: Activeseg_V1_GetEmbeddingsRequest, _) in
      try await run { store in
        var matrix = try store.embeddingMatrix(checkpointId: request.encoderID)
        if !request.sliceIds.isEmpty {
          let row = Dictionary(uniqueKeysWithValues: matrix.sliceIds.enumerated().map { ($1, $0) })
          let missing = request.sliceIds.filter { row[$0] == nil }
          guard missing.isEmpty else {
            throw ServiceError(
              .notFound,
              "encoder \(request.encoderID) has no embedding for slices \(missing.prefix(10)); run Embed first")
          }
          let d = matrix.dimension
          matrix.values = request.sliceIds.flatMap { matrix.values[(row[$0]! * d)..<((row[$0]! + 1) * d)] }
          matrix.sliceIds = request.sliceIds
        }
        var reply = Activeseg_V1_GetEmbeddingsReply()
        reply.sliceIds = matrix.sliceIds
        reply.vectors = WireTensor(float32: matrix.values, shape: [matrix.sliceIds.count, matrix.dimension])
        return reply
      }
    }
  }
}
