// What the trainer reports after every iteration.

/// One progress report (after each SGD step).
public struct TrainingProgress: Sendable, Hashable {
  /// Completed iterations (1-based after the first step).
  public var iteration: Int
  /// Iterations this run will train.
  public var totalIterations: Int
  /// Loss of the step just taken.
  public var loss: Float
  /// Learning rate that step used.
  public var learningRate: Float
  /// Best mean validation Dice so far (−1 before the first validation).
  public var bestDice: Double
  /// Mean validation Dice measured after this step, if it validated.
  public var validationDice: Double?
}
