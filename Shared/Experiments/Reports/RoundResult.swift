// What one round of one run produced: budget, annotation cost, and the test metrics of the
// ensemble member with the best validation Dice (method-spec §1.7).

/// One round of one run, reduced to the reported numbers.
public struct RoundResult: Codable, Sendable, Hashable {
  /// Strategy label.
  public var strategy: String
  public var seed: UInt64
  public var round: Int
  /// Slices labeled in total after this round.
  public var labeledSlices: Int
  /// Cumulative labeled fraction of the pool.
  public var cumulativeFraction: Double
  public var cost: AnnotationCost
  /// Test Dice per foreground class of the reported member.
  public var classDice: [Double]
  /// Test HD95 per foreground class of the reported member.
  public var classHD95: [Double]
  /// Mean foreground test Dice of each test volume of the reported member, in evaluation order;
  /// empty when the trainer did not report it (then intervals resample seeds only).
  public var volumeDice: [Double]

  public init(
    strategy: String, seed: UInt64, round: Int, labeledSlices: Int, cumulativeFraction: Double,
    cost: AnnotationCost, classDice: [Double], classHD95: [Double], volumeDice: [Double] = []
  ) {
    precondition(
      classDice.count == classHD95.count, "classDice has \(classDice.count) classes, classHD95 \(classHD95.count)")
    self.strategy = strategy
    self.seed = seed
    self.round = round
    self.labeledSlices = labeledSlices
    self.cumulativeFraction = cumulativeFraction
    self.cost = cost
    self.classDice = classDice
    self.classHD95 = classHD95
    self.volumeDice = volumeDice
  }

  /// A result reporting the member with the strictly highest validation Dice (the first on ties).
  public init(
    strategy: String, seed: UInt64, round: Int, labeledSlices: Int, cumulativeFraction: Double,
    cost: AnnotationCost, members: [MemberMetrics]
  ) {
    let best = Self.reportedMember(members)
    self.init(
      strategy: strategy, seed: seed, round: round, labeledSlices: labeledSlices,
      cumulativeFraction: cumulativeFraction, cost: cost, classDice: members[best].testClassDice,
      classHD95: members[best].testClassHD95, volumeDice: members[best].testVolumeDice)
  }

  /// Index of the member whose test metrics are reported: the highest validation Dice, first on ties.
  public static func reportedMember(_ members: [MemberMetrics]) -> Int {
    precondition(!members.isEmpty, "a round needs at least one ensemble member")
    var best = 0
    for (index, member) in members.enumerated() where member.validationDice > members[best].validationDice {
      best = index
    }
    return best
  }

  /// The same result with `classes` foreground classes: a result without test metrics (an empty
  /// test split) or with another class count gets NaN ("n/a") for every class.
  func withClasses(_ classes: Int) -> RoundResult {
    guard classDice.count != classes else { return self }
    var copy = self
    copy.classDice = Array(repeating: .nan, count: classes)
    copy.classHD95 = Array(repeating: .nan, count: classes)
    return copy
  }

  /// Mean test Dice over foreground classes.
  public var meanDice: Double { classDice.isEmpty ? .nan : classDice.reduce(0, +) / Double(classDice.count) }
  /// Mean test HD95 over foreground classes.
  public var meanHD95: Double { classHD95.isEmpty ? .nan : classHD95.reduce(0, +) / Double(classHD95.count) }
}
