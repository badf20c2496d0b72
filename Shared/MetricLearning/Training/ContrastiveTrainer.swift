// GCL training loop (method spec §3.7, code `feature_model.py::train`): per epoch fresh groups and batches, two
// augmented views per slice, z_i and z_j from two forward passes, the weighted loss, Adam. Deterministic per seed.

import NeuralNet
import Randomness
import TensorCore

/// Trains a `ContrastiveNet` on unlabelled slices.
public struct ContrastiveTrainer: Sendable {
  public let config: ContrastiveTrainingConfig
  public let net: ContrastiveNet

  public init(config: ContrastiveTrainingConfig) throws {
    try config.encoder.validate()
    guard config.epochs >= 0 else {
      throw MetricLearningError(.invalidConfig, "epochs is \(config.epochs); give a count of 0 or more")
    }
    self.config = config
    net = ContrastiveNet(config: config.encoder)
  }

  /// Fresh parameters from the config's seed.
  public func initialParameters() -> ParameterStore {
    var rng = SplitMix64(seed: SplitMix64.derive(config.seed, 0x1417))
    return net.makeParameters(using: &rng)
  }

  /// Trains for `config.epochs` epochs from `initial` (fresh parameters when nil). `progress(epoch, meanLoss)`
  /// runs after every epoch (epochs count from 1); `shouldCancel` is polled before every batch.
  public func train(
    images: [GrayImage], slices: [SliceKey], initial: ParameterStore? = nil,
    progress: (Int, Double) -> Void = { _, _ in }, shouldCancel: () -> Bool = { false }
  ) throws
    -> ContrastiveTrainingResult
  {
    guard images.count == slices.count, let first = images.first,
      images.allSatisfy({ $0.height == first.height && $0.width == first.width })
    else {
      throw MetricLearningError(
        .shapeMismatch,
        "give one image per slice key (\(images.count) images, \(slices.count) keys), all of one size; resize slices first"
      )
    }
    let sampler = try GroupBatchSampler(slices: slices, options: config.sampler, seed: config.seed)
    let augment = ContrastiveAugmentation(config: config.augmentation)
    var store = initial ?? initialParameters()
    var adam = Adam(learningRate: config.learningRate, weightDecay: config.weightDecay)
    var losses: [Double] = []
    for epoch in stride(from: 1, through: config.epochs, by: 1) {
      var total = 0.0
      let batches = sampler.batches(epoch: epoch)
      for (b, batch) in batches.enumerated() {
        if shouldCancel() { return ContrastiveTrainingResult(store: store, epochLosses: losses, cancelled: true) }
        var rng = SplitMix64(seed: SplitMix64.derive(config.seed, UInt64(epoch), UInt64(b)))
        let xi = Self.stack(batch.map { augment(images[$0], using: &rng) })
        let xj = Self.stack(batch.map { augment(images[$0], using: &rng) })
        total += step(xi, xj, layout: sampler.layout, store: &store, optimizer: &adam)
      }
      let mean = batches.isEmpty ? 0 : total / Double(batches.count)
      losses.append(mean)
      progress(epoch, mean)
    }
    return ContrastiveTrainingResult(store: store, epochLosses: losses, cancelled: false)
  }

  /// One optimisation step on views xi, xj: (B, 1, H, W); returns the loss before the update.
  public func step(
    _ xi: Tensor, _ xj: Tensor, layout: GroupLayout, store: inout ParameterStore,
    optimizer: inout Adam
  ) -> Double {
    store.zeroGradients()
    let (_, zi, ci) = net.project(xi, &store)
    let (_, zj, cj) = net.project(xj, &store)
    let (b, p) = (zi.shape[0], zi.shape[1])
    let z = Tensor(shape: [2 * b, p], data: zi.data + zj.data)  // (2B, P)
    let (loss, dz, _) = ContrastiveLoss.total(z, layout: layout, config: config.loss)
    net.accumulateGradients(Tensor(shape: [b, p], data: Array(dz.data[0..<(b * p)])), ci, &store)
    net.accumulateGradients(Tensor(shape: [b, p], data: Array(dz.data[(b * p)...])), cj, &store)
    optimizer.update(&store)
    return loss
  }

  /// images → (N, 1, H, W)
  static func stack(_ images: [GrayImage]) -> Tensor {
    let (h, w) = (images[0].height, images[0].width)
    return Tensor(shape: [images.count, 1, h, w], data: images.flatMap(\.pixels))
  }
}
