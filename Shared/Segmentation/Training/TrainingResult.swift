// What a finished training run returns: the best checkpoint, its metrics, the loss curve and every validation.

/// The outcome of one training run.
public struct TrainingResult: Sendable {
  /// The best-validation model as `Checkpoint<SegmentationModelConfig>` bytes (the final model if there was no
  /// validation volume).
  public var checkpoint: [UInt8]
  /// Validation metrics of that model (nil without validation volumes).
  public var bestMetrics: EvaluationSummary?
  /// Iteration after which the best model was taken.
  public var bestIteration: Int
  /// Iterations trained.
  public var completedIterations: Int
  /// Iterations planned from the preset and the labeled fraction.
  public var plannedIterations: Int
  /// Loss of every step, in order.
  public var losses: [Float]
  /// (iteration, mean Dice) of every validation.
  public var validations: [ValidationPoint]
}

/// One validation during training.
public struct ValidationPoint: Sendable, Hashable {
  public var iteration: Int
  public var meanDice: Double
  public var meanHD95: Double
}
