// The contrastive training loop: determinism per seed, progress and cancellation, eval-mode embeddings, fusion,
// and the quality check (nearest neighbours come from the same volume more often after training).

import MetricLearning
import Randomness
import NeuralNet
import TensorCore
import Testing

@Suite struct TrainerTests {
  static func config(epochs: Int, seed: UInt64 = 5, learningRate: Float = 1e-3) -> ContrastiveTrainingConfig {
    ContrastiveTrainingConfig(
      encoder: .tiny, sampler: .acdc, loss: .acdcPaper, augmentation: .paper, epochs: epochs,
      learningRate: learningRate, seed: seed)
  }

  @Test func deterministicPerSeedWithProgress() throws {
    ComputeThreads.set(1)
    let data = SyntheticCohort(patients: 4, volumes: 2, slices: 3, size: 8, seed: 1)
    let trainer = try ContrastiveTrainer(config: Self.config(epochs: 2))
    var reported: [Int] = []
    let a = try trainer.train(
      images: data.images, slices: data.keys,
      progress: { epoch, loss in
        reported.append(epoch)
        #expect(loss.isFinite && loss > 0)
      })
    let b = try trainer.train(images: data.images, slices: data.keys)
    #expect(reported == [1, 2])
    #expect(a.epochLosses == b.epochLosses)
    #expect(a.store.values == b.store.values)
    let other = try ContrastiveTrainer(config: Self.config(epochs: 2, seed: 6)).train(
      images: data.images, slices: data.keys)
    #expect(other.epochLosses != a.epochLosses)
  }

  @Test func cancellationStopsBeforeTheNextBatch() throws {
    let data = SyntheticCohort(patients: 4, volumes: 2, slices: 3, size: 8, seed: 1)
    let trainer = try ContrastiveTrainer(config: Self.config(epochs: 3))
    var polls = 0
    let result = try trainer.train(
      images: data.images, slices: data.keys,
      shouldCancel: {
        polls += 1
        return polls > 2
      })
    #expect(result.cancelled)
    #expect(result.epochLosses.isEmpty)
    #expect(polls == 3)
  }

  @Test func rejectsMismatchedInputs() throws {
    let data = SyntheticCohort(patients: 4, volumes: 2, slices: 3, size: 8, seed: 1)
    let trainer = try ContrastiveTrainer(config: Self.config(epochs: 1))
    #expect(throws: MetricLearningError.self) {
      try trainer.train(images: Array(data.images.dropLast()), slices: data.keys)
    }
  }

  @Test func embeddingsAreEvalModeGAPFeatures() throws {
    let data = SyntheticCohort(patients: 3, volumes: 1, slices: 4, size: 8, seed: 2)
    let trainer = try ContrastiveTrainer(config: Self.config(epochs: 0))
    let store = trainer.initialParameters()
    let extractor = FeatureExtractor(config: .tiny, store: store, batchSize: 5)
    let e = extractor.embeddings(data.images)
    #expect(e.shape == [12, EncoderConfig.tiny.featureDimension])
    // batching must not matter in eval mode
    let one = FeatureExtractor(config: .tiny, store: store, batchSize: 1).embeddings(data.images)
    #expect(zip(e.data, one.data).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    // after the final ReLU and averaging, features are non-negative
    #expect(e.data.allSatisfy { $0 >= 0 })
  }

  @Test func fusionRepeatsEachEmbeddingValue() {
    #expect(FeatureFusion.repeats(pixelCount: 65536, embeddingCount: 512) == 12)
    let fused = FeatureFusion.fuse(pixels: [Float](repeating: 9, count: 100), embedding: [1, 2], proportion: 0.1)
    #expect(fused.count == 100 + 10)
    #expect(Array(fused[100...]) == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
  }

  @Test func trainingGathersVolumesInEmbeddingSpace() throws {
    // 12 volumes × 6 slices of 10×10, paper augmentation and losses, 15 epochs (lr 2e-3 to be quick).
    // Chance level is 5/71 ≈ 0.07.
    let data = SyntheticCohort(patients: 6, volumes: 2, slices: 6, size: 10, brightness: 0...0.2, seed: 11)
    let p = try PurityBeforeAfter(
      config: Self.config(epochs: 15, seed: 3, learningRate: 2e-3), images: data.images,
      keys: data.keys, volumeLabels: data.volumeLabels)
    print("5-NN same-volume fraction: untrained \(p.untrained), trained \(p.trained); losses \(p.losses)")
    #expect(p.trained > p.untrained + 0.12, "untrained \(p.untrained), trained \(p.trained)")
  }
}
