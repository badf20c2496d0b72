// Validation and test metrics of one ensemble member, the input to choosing the reported member.

/// Test and validation metrics of one ensemble member.
public struct MemberMetrics: Codable, Sendable, Hashable {
  /// Mean validation Dice over foreground classes.
  public var validationDice: Double
  /// Test Dice per foreground class.
  public var testClassDice: [Double]
  /// Test HD95 per foreground class, in pixels (or mm, as the evaluator reports).
  public var testClassHD95: [Double]
  /// Mean foreground test Dice of each test volume, in the evaluation's volume order; empty when
  /// the trainer did not report it (records written before `Metrics.volume_dice` existed).
  public var testVolumeDice: [Double]

  public init(validationDice: Double, testClassDice: [Double], testClassHD95: [Double], testVolumeDice: [Double] = []) {
    self.validationDice = validationDice
    self.testClassDice = testClassDice
    self.testClassHD95 = testClassHD95
    self.testVolumeDice = testVolumeDice
  }

  enum CodingKeys: String, CodingKey { case validationDice, testClassDice, testClassHD95, testVolumeDice }

  /// Decodes records with or without `testVolumeDice` (older ones have none: it is then empty).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    validationDice = try container.decode(Double.self, forKey: .validationDice)
    testClassDice = try container.decode([Double].self, forKey: .testClassDice)
    testClassHD95 = try container.decode([Double].self, forKey: .testClassHD95)
    testVolumeDice = try container.decodeIfPresent([Double].self, forKey: .testVolumeDice) ?? []
  }
}
