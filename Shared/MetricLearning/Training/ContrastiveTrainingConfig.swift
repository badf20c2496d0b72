// Settings of one GCL training run (method spec §3.7): network, sampler, losses, augmentation, Adam, epochs, seed.

/// Everything a contrastive training run depends on; saved next to the checkpoint.
public struct ContrastiveTrainingConfig: Codable, Sendable, Hashable {
  public var encoder: EncoderConfig
  public var sampler: GroupSamplerOptions
  public var loss: ContrastiveLossConfig
  public var augmentation: AugmentationConfig
  /// Full passes over the groups (the code always runs all of them; its early stopping is dead code).
  public var epochs: Int
  public var learningRate: Float
  public var weightDecay: Float
  public var seed: UInt64

  public init(
    encoder: EncoderConfig = .cpu, sampler: GroupSamplerOptions = .acdc, loss: ContrastiveLossConfig = .acdcPaper,
    augmentation: AugmentationConfig = .paper, epochs: Int = 100, learningRate: Float = 3e-4,
    weightDecay: Float = 1e-6, seed: UInt64 = 0
  ) {
    self.encoder = encoder
    self.sampler = sampler
    self.loss = loss
    self.augmentation = augmentation
    self.epochs = epochs
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.seed = seed
  }
}
