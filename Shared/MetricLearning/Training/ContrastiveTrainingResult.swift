// What a contrastive training run returns: the trained parameters, the loss per epoch, whether it was cancelled.

import NeuralNet

/// The outcome of `ContrastiveTrainer.train`.
public struct ContrastiveTrainingResult: Sendable {
  /// Trained parameters and BN running statistics.
  public var store: ParameterStore
  /// Mean loss of each finished epoch.
  public var epochLosses: [Double]
  /// True when `shouldCancel` stopped the run early.
  public var cancelled: Bool
}
