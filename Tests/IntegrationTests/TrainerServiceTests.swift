// The trainer worker as a process: it joins a work socket (the test plays the gateway), trains a UNet on
// phantom slices revealed in storage, stores the checkpoint, evaluates it, and predicts probabilities.
import Foundation
import Launcher
import Messaging
import Protos
import ServiceKit
import SwiftProtobuf
import Testing
import TestSupport

@Suite(.serialized) struct TrainerServiceTests {
  @Test func trainsEvaluatesAndPredicts() async throws {
    let storage = try StorageUnderTest()
    defer { storage.stop() }
    let dataset = try await storage.importPhantom(name: "phantom", patients: 6, size: 32).dataset

    let worker = try await WorkerUnderTest(kind: "trainer", storage: storage)
    defer { worker.stop() }
    let broker = worker.broker
    #expect(broker.workers().first?.kind == "trainer")

    // The oracle reveals full masks of six training slices.
    var list = Activeseg_V1_ListSlicesRequest()
    list.datasetID = dataset.id
    list.split = .train
    let train: Activeseg_V1_ListSlicesReply = try await storage.call("ListSlices", list)
    let labeled = Array(train.slices.prefix(6).map(\.id))
    var reveal = Activeseg_V1_RevealRequest()
    reveal.sliceIds = labeled
    reveal.kind = .full
    let _: Activeseg_V1_RevealReply = try await storage.call("Reveal", reveal)

    var request = Activeseg_V1_TrainRequest()
    request.datasetID = dataset.id
    request.preset = "smoke"
    request.seed = 3
    request.supervision = .full
    request.labeled = labeled.map {
      var slice = Activeseg_V1_LabeledSlice()
      slice.sliceID = $0
      slice.kind = .full
      return slice
    }
    let trained = try Activeseg_V1_TrainReply(
      serializedBytes: try await broker.submit(.train, payload: request.serializedBytes()))
    #expect(trained.checkpointID > 0 && trained.iterations >= 20)
    #expect(trained.validation.classDice.count == 3 && (0...1).contains(trained.validation.meanDice))
    #expect(trained.test.volumes > 0 && trained.test.classDice.count == 3)
    // Per-volume Dice in evaluation order; their mean is the headline Dice (equal class counts per volume).
    #expect(trained.test.volumeDice.count == Int(trained.test.volumes))
    #expect(abs(trained.test.volumeDice.reduce(0, +) / Double(trained.test.volumes) - trained.test.meanDice) < 1e-9)
    #expect(
      worker.events.contains { $0.kind == "train" && $0.iteration == $0.totalIterations },
      "progress reached the last step")

    var evaluate = Activeseg_V1_EvaluateRequest()
    evaluate.checkpointID = trained.checkpointID
    evaluate.datasetID = dataset.id
    evaluate.split = .test
    let evaluated = try Activeseg_V1_EvaluateReply(
      serializedBytes: try await broker.submit(.evaluate, payload: evaluate.serializedBytes()))
    #expect(
      abs(evaluated.metrics.meanDice - trained.test.meanDice) < 1e-9, "the stored model scores as it did after training"
    )

    var predict = Activeseg_V1_PredictRequest()
    predict.checkpointID = trained.checkpointID
    predict.sliceIds = Array(train.slices.suffix(2).map(\.id))
    predict.mcPasses = 3
    predict.seed = 1
    let predicted = try Activeseg_V1_PredictReply(
      serializedBytes: try await broker.submit(.predict, payload: predict.serializedBytes()))
    #expect(predicted.predictions.map(\.sliceID) == predict.sliceIds)
    for prediction in predicted.predictions {
      #expect(prediction.probabilities.shape == [3, 4, 32, 32])
      let p = try prediction.probabilities.floats("probabilities")
      for pixel in stride(from: 0, to: 32 * 32, by: 97) {
        let sum = (0..<4).reduce(Float(0)) { $0 + p[$1 * 1024 + pixel] }
        #expect(abs(sum - 1) < 1e-4, "class probabilities sum to 1")
      }
    }

    request.preset = "huge"
    await expectError(.invalidArgument, containing: "huge") {
      _ = try await broker.submit(.train, payload: request.serializedBytes())
    }
    request.preset = "smoke"
    request.labeled[0].sliceID = train.slices.last!.id  // never labeled
    await expectError(.failedPrecondition, containing: "has no annotation") {
      _ = try await broker.submit(.train, payload: request.serializedBytes())
    }
    storage.directory.remove()
  }
}
