// Validation and test metrics of one ensemble member, the input to choosing the reported member.

/// Test and validation metrics of one ensemble member.
public struct MemberMetrics: Codable, Sendable, Hashable {
  /// Mean validation Dice over foreground classes.
  public var validationDice: Double
  /// Test Dice per foreground class.
  public var testClassDice: [Double]
  /// Test HD95 per foreground class, in pixels (or mm, as the evaluator reports).
  public var testClassHD95: [Double]

  public init(validationDice: Double, testClassDice: [Double], testClassHD95: [Double]) {
    self.validationDice = validationDice
    self.testClassDice = testClassDice
    self.testClassHD95 = testClassHD95
  }
}
