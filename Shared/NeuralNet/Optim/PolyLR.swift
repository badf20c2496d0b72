// Polynomial learning-rate decay of method spec §2.5 (nnU-Net / WSL4MIS): lr = base·(1 − iter/max)^0.9.

#if canImport(Glibc)
  import Glibc
#endif

/// Poly learning-rate schedule.
public struct PolyLR: Sendable, Hashable, Codable {
  public var baseLearningRate: Float
  public var maxIterations: Int
  public var power: Float

  public init(baseLearningRate: Float = 0.01, maxIterations: Int, power: Float = 0.9) {
    precondition(maxIterations > 0, "PolyLR needs maxIterations > 0, got \(maxIterations)")
    self.baseLearningRate = baseLearningRate
    self.maxIterations = maxIterations
    self.power = power
  }

  /// Learning rate after `iteration` completed steps (0-based counter, as upstream applies it after each step).
  public func learningRate(at iteration: Int) -> Float {
    let frac = max(0, 1 - Double(iteration) / Double(maxIterations))
    return baseLearningRate * Float(pow(frac, Double(power)))
  }
}
