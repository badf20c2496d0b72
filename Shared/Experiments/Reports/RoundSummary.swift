// One strategy's numbers at one round, aggregated over seeds (mean ± ddof=1 std).

/// A round of one strategy, aggregated over the seeds that reached it.
public struct RoundSummary: Codable, Sendable, Hashable {
  public var round: Int
  /// Mean cumulative labeled fraction (identical across seeds under one schedule).
  public var cumulativeFraction: Double
  public var labeledSlices: MeanStd
  /// Mean over classes of the reported member's test Dice, then mean ± std over seeds.
  public var meanDice: MeanStd
  public var classDice: [MeanStd]
  public var meanHD95: MeanStd
  public var classHD95: [MeanStd]
  public var costSlices: MeanStd
  public var costPixels: MeanStd
  public var costSeconds: MeanStd

  /// Aggregates the results of one strategy and round (one per seed).
  public init(round: Int, results: [RoundResult]) {
    precondition(!results.isEmpty, "round \(round) has no results to summarise")
    let classes = results[0].classDice.count
    precondition(
      results.allSatisfy { $0.classDice.count == classes }, "round \(round): results disagree on the number of classes")
    self.round = round
    cumulativeFraction = results.map(\.cumulativeFraction).reduce(0, +) / Double(results.count)
    labeledSlices = MeanStd(results.map { Double($0.labeledSlices) })
    meanDice = MeanStd(results.map(\.meanDice))
    classDice = (0..<classes).map { c in MeanStd(results.map { $0.classDice[c] }) }
    meanHD95 = MeanStd(results.map(\.meanHD95))
    classHD95 = (0..<classes).map { c in MeanStd(results.map { $0.classHD95[c] }) }
    costSlices = MeanStd(results.map(\.cost.slices))
    costPixels = MeanStd(results.map(\.cost.pixels))
    costSeconds = MeanStd(results.map(\.cost.seconds))
  }
}
