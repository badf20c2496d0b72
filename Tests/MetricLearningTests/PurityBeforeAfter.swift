// The quality measure both training checks use: the 5-NN same-volume fraction of the eval-mode embeddings before
// and after one contrastive training run.

import MetricLearning
import TensorCore

/// 5-NN same-volume fraction of the untrained and the trained encoder, and the training losses.
struct PurityBeforeAfter {
  var untrained: Double
  var trained: Double
  var losses: [Double]

  /// Trains with `config` on one oneDNN thread (tiny convolutions spin in OpenMP barriers otherwise).
  init(config: ContrastiveTrainingConfig, images: [GrayImage], keys: [SliceKey], volumeLabels: [Int]) throws {
    ComputeThreads.set(1)
    let trainer = try ContrastiveTrainer(config: config)
    let initial = trainer.initialParameters()
    let result = try trainer.train(images: images, slices: keys, initial: initial)
    untrained = NeighbourPurity.mean(
      FeatureExtractor(config: config.encoder, store: initial).embeddings(images),
      labels: volumeLabels, k: 5)
    trained = NeighbourPurity.mean(
      FeatureExtractor(config: config.encoder, store: result.store).embeddings(images),
      labels: volumeLabels, k: 5)
    losses = result.epochLosses
  }
}
