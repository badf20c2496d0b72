// Typed calls to the storage service, for the workers and the selector: slices, pixels, checkpoints,
// embeddings. Large transfers go in batches so no message grows without bound. Calls take and return the
// domain types of StorageRecords.swift; the protobuf messages stop here.
import Experiments
import Foundation
import Logging
import Messaging
import Protos

public struct StorageClient: Sendable {
  public let channel: any RPCChannel
  public let caller: String
  /// Slices per GetSlices call (64 slices of 256×256 float32 are 16 MiB).
  public var batchSize = 64

  public init(channel: any RPCChannel, caller: String) {
    self.channel = channel
    self.caller = caller
  }

  var read: CallOptions { .idempotent(timeout: .seconds(120), caller: caller) }

  /// Throws UNAVAILABLE, saying so, when storage does not answer its Health within `timeout`: a client's call
  /// that needs storage fails at once instead of waiting out the longer timeouts of the calls behind it.
  public func requireReachable(timeout: Duration = .seconds(3), for purpose: String) async throws {
    do {
      _ = try await channel.call(
        "Storage/Health", HealthRequest(), replying: HealthReply.self,
        options: CallOptions(timeout: timeout, caller: caller))
    } catch let error as ServiceError where [.deadlineExceeded, .cancelled, .unavailable].contains(error.code) {
      throw ServiceError(
        .unavailable,
        "the storage service is not replying (no answer within \(timeout)), so \(purpose) cannot go on; start storage again (`activeseg status` shows it)",
        cause: error)
    }
  }
  var write: CallOptions { CallOptions(timeout: .seconds(300), caller: caller) }

  /// The slices of `dataset`, of one split or (nil) all of them.
  public func slices(dataset: Int64, split: SliceSplit? = nil) async throws -> [SliceInfo] {
    var request = Activeseg_V1_ListSlicesRequest()
    request.datasetID = dataset
    request.split = split?.wire ?? .unspecified
    return try await channel.call(
      "Storage/ListSlices", request, replying: Activeseg_V1_ListSlicesReply.self, options: read
    ).slices.map(SliceInfo.init(wire:))
  }

  /// The images of `ids` in that order, as (height, width, pixels).
  public func images(_ ids: [Int64]) async throws -> [(height: Int, width: Int, pixels: [Float])] {
    var images: [(height: Int, width: Int, pixels: [Float])] = []
    images.reserveCapacity(ids.count)
    for start in stride(from: 0, to: ids.count, by: batchSize) {
      var request = Activeseg_V1_GetSlicesRequest()
      request.sliceIds = Array(ids[start..<min(start + batchSize, ids.count)])
      let reply = try await channel.call(
        "Storage/GetSlices", request, replying: Activeseg_V1_GetSlicesReply.self, options: read)
      for slice in reply.slices {
        images.append(
          (Int(slice.image.shape[0]), Int(slice.image.shape[1]), try slice.image.floats("image of slice \(slice.id)")))
      }
    }
    return images
  }

  public func putCheckpoint(kind: String, metadataJSON: String, blob: [UInt8], experiment: Int64 = 0, round: Int64 = 0)
    async throws -> Int64
  {
    var request = Activeseg_V1_PutCheckpointRequest()
    request.checkpoint.kind = kind
    request.checkpoint.metadataJson = metadataJSON
    request.checkpoint.blob = Data(blob)
    request.checkpoint.experimentID = experiment
    request.checkpoint.roundID = round
    return try await channel.call(
      "Storage/PutCheckpoint", request, replying: Activeseg_V1_PutCheckpointReply.self, options: write
    ).id
  }

  public func checkpoint(_ id: Int64) async throws -> StoredCheckpoint {
    var request = Activeseg_V1_GetCheckpointRequest()
    request.id = id
    return StoredCheckpoint(
      wire: try await channel.call(
        "Storage/GetCheckpoint", request, replying: Activeseg_V1_GetCheckpointReply.self, options: read
      ).checkpoint)
  }

  /// Stores one row of `vectors` (N × dimension) per slice id, in batches.
  public func putEmbeddings(encoder: Int64, sliceIDs: [Int64], vectors: [Float], dimension: Int) async throws {
    precondition(vectors.count == sliceIDs.count * dimension, "one \(dimension)-d vector per slice")
    for start in stride(from: 0, to: sliceIDs.count, by: 1024) {
      let end = min(start + 1024, sliceIDs.count)
      var request = Activeseg_V1_PutEmbeddingsRequest()
      request.encoderID = encoder
      request.sliceIds = Array(sliceIDs[start..<end])
      request.vectors = WireTensor(
        float32: Array(vectors[(start * dimension)..<(end * dimension)]), shape: [end - start, dimension])
      _ = try await channel.call(
        "Storage/PutEmbeddings", request, replying: Activeseg_V1_PutEmbeddingsReply.self, options: write)
    }
  }
}

extension StorageClient {
  /// The embeddings of `slices` (row i for slices[i]) written by encoder `encoder`: NOT_FOUND if one is missing.
  public func embeddings(encoder: Int64, slices: [Int64]) async throws -> (dimension: Int, values: [Float]) {
    var request = Activeseg_V1_GetEmbeddingsRequest()
    request.encoderID = encoder
    request.sliceIds = slices
    let reply = try await channel.call(
      "Storage/GetEmbeddings", request, replying: Activeseg_V1_GetEmbeddingsReply.self, options: read)
    return (reply.vectors.shape.count == 2 ? Int(reply.vectors.shape[1]) : 0, try reply.vectors.floats("embeddings"))
  }
}

extension StorageClient {
  /// Slices per PutPredictions / GetPredictions call (64 slices × 4 classes at 256² are 64 MiB of float32).
  static let predictionBatch = 64

  /// Stores predictions in batches.
  public func putPredictions(_ predictions: [StoredPrediction]) async throws {
    for start in stride(from: 0, to: predictions.count, by: Self.predictionBatch) {
      var request = Activeseg_V1_PutPredictionsRequest()
      request.predictions = predictions[start..<min(start + Self.predictionBatch, predictions.count)].map(\.wire)
      _ = try await channel.call(
        "Storage/PutPredictions", request, replying: Activeseg_V1_PutPredictionsReply.self, options: write)
    }
  }

  /// The stored predictions of `checkpoints` for `slices`, fetched in batches of slices; absent pairs are absent.
  public func predictions(checkpoints: [Int64], slices: [Int64]) async throws -> [StoredPrediction] {
    var result: [StoredPrediction] = []
    let step = max(1, Self.predictionBatch / max(1, checkpoints.count))
    for start in stride(from: 0, to: slices.count, by: step) {
      var request = Activeseg_V1_GetPredictionsRequest()
      request.checkpointIds = checkpoints
      request.sliceIds = Array(slices[start..<min(start + step, slices.count)])
      result += try await channel.call(
        "Storage/GetPredictions", request, replying: Activeseg_V1_GetPredictionsReply.self, options: read
      ).predictions.map(StoredPrediction.init(wire:))
    }
    return result
  }
}

/// Runs blocking compute on a thread of its own, off the cooperative pool (2 threads here), and returns its result.
public func onDedicatedThread<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.name = name
    thread.stackSize = 16 << 20
    thread.start()
  }
}

extension StorageClient {
  /// The dataset with this id; NOT_FOUND naming it otherwise.
  public func dataset(_ id: Int64) async throws -> StoredDataset {
    guard let dataset = try await datasets().first(where: { $0.id == id }) else {
      throw ServiceError(.notFound, "dataset \(id) does not exist; import it first (activeseg import)")
    }
    return dataset
  }

  /// Images with their latest annotations, in the order of `ids`, in batches.
  public func slicesWithAnnotations(_ ids: [Int64]) async throws -> [AnnotatedSlice] {
    var slices: [AnnotatedSlice] = []
    for start in stride(from: 0, to: ids.count, by: batchSize) {
      var request = Activeseg_V1_GetSlicesRequest()
      request.sliceIds = Array(ids[start..<min(start + batchSize, ids.count)])
      request.withAnnotations = true
      slices += try await channel.call(
        "Storage/GetSlices", request, replying: Activeseg_V1_GetSlicesReply.self, options: read
      ).slices.map(AnnotatedSlice.init(wire:))
    }
    return slices
  }

  /// Every volume of a split with its ground truth (validation and test).
  public func volumes(dataset: Int64, split: SliceSplit) async throws -> [StoredVolume] {
    var request = Activeseg_V1_GetVolumesRequest()
    request.datasetID = dataset
    request.split = split.wire
    return try await channel.call(
      "Storage/GetVolumes", request, replying: Activeseg_V1_GetVolumesReply.self, options: read
    ).volumes.map(StoredVolume.init(wire:))
  }
}
