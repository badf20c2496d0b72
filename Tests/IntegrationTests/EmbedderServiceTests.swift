// The embedder worker as a process: it joins a work socket (the test plays the gateway), trains the
// group-contrastive encoder on phantom slices fetched from storage, and writes one embedding per slice.
import Foundation
import Launcher
import Messaging
import Protos
import ServiceKit
import SwiftProtobuf
import Testing
import TestSupport

@Suite(.serialized) struct EmbedderServiceTests {
  @Test func trainsAnEncoderAndEmbedsEverySlice() async throws {
    let storage = try StorageUnderTest()
    defer { storage.stop() }
    let dataset = try await storage.importPhantom(name: "phantom", patients: 6, size: 32).dataset

    let worker = try await WorkerUnderTest(kind: "embedder", storage: storage)
    defer { worker.stop() }
    let broker = worker.broker
    #expect(broker.workers().first?.kind == "embedder")

    var train = Activeseg_V1_TrainEncoderRequest()
    train.datasetID = dataset.id
    train.preset = "smoke"
    train.seed = 7
    let trained = try Activeseg_V1_TrainEncoderReply(
      serializedBytes: try await broker.submit(.trainEncoder, payload: train.serializedBytes()))
    #expect(trained.encoderID > 0 && trained.epochs == 2 && trained.finalLoss.isFinite && trained.finalLoss > 0)
    #expect(
      await eventually { worker.events.filter { $0.kind == "train_encoder" }.count == 2 },
      "one progress event per epoch")

    var embed = Activeseg_V1_EmbedRequest()
    embed.encoderID = trained.encoderID
    embed.datasetID = dataset.id
    let embedded = try Activeseg_V1_EmbedReply(
      serializedBytes: try await broker.submit(.embed, payload: embed.serializedBytes()))
    let total = Int64(dataset.trainSlices + dataset.valSlices + dataset.testSlices)
    #expect(embedded.embedded == total && embedded.dimension == 16)

    var get = Activeseg_V1_GetEmbeddingsRequest()
    get.encoderID = trained.encoderID
    let stored: Activeseg_V1_GetEmbeddingsReply = try await storage.call("GetEmbeddings", get)
    #expect(stored.sliceIds.count == Int(total) && stored.vectors.shape == [total, 16])
    let values = try stored.vectors.floats("vectors")
    #expect(
      values.allSatisfy(\.isFinite) && Set(values.map { ($0 * 1000).rounded() }).count > 10,
      "embeddings are real, varied numbers")

    // Bad requests get errors that say what to do.
    train.preset = "huge"
    await expectError(.invalidArgument, containing: "paper, cpu, smoke") {
      _ = try await broker.submit(.trainEncoder, payload: train.serializedBytes())
    }
    embed.encoderID = 12345
    await expectError(.notFound, containing: "checkpoint 12345") {
      _ = try await broker.submit(.embed, payload: embed.serializedBytes())
    }
    storage.directory.remove()
  }
}
