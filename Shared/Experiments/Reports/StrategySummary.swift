// One strategy's rounds aggregated over seeds, and the area under its Dice-vs-budget curve.

/// All rounds of one strategy, with the area under the Dice-vs-budget curve.
public struct StrategySummary: Codable, Sendable, Hashable {
  /// Strategy label.
  public var strategy: String
  /// Seeds that contributed, ascending.
  public var seeds: [UInt64]
  /// Rounds in ascending order.
  public var rounds: [RoundSummary]
  /// Trapezoid area under mean Dice vs cumulative fraction.
  public var diceAUC: Double
  /// `diceAUC` divided by the fraction span (a mean Dice over the budget range); Dice of the
  /// only round when there is one. The AUBC of `PairedComparison.aubc` is the same area over the
  /// runs with a finite Dice, with an interval.
  public var normalizedDiceAUC: Double
  /// Per-seed trapezoid areas, mean ± std, over seeds that have every round; `nil` if none has.
  public var seedDiceAUC: MeanStd?

  /// Aggregates every result of one strategy.
  public init(strategy: String, results: [RoundResult]) {
    precondition(results.allSatisfy { $0.strategy == strategy }, "results of other strategies passed for \(strategy)")
    self.strategy = strategy
    seeds = Array(Set(results.map(\.seed))).sorted()
    let byRound = Dictionary(grouping: results, by: \.round)
    rounds = byRound.keys.sorted().map { RoundSummary(round: $0, results: byRound[$0]!) }
    let x = rounds.map(\.cumulativeFraction)
    let y = rounds.map(\.meanDice.mean)
    diceAUC = MeanStd.trapezoid(x: x, y: y)
    normalizedDiceAUC = StrategyAUBC.normalizedArea(x: x, y: y)
    let allRounds = Set(byRound.keys)
    let seedAreas: [Double] = seeds.compactMap { seed in
      let mine = results.filter { $0.seed == seed }.sorted { $0.round < $1.round }
      guard Set(mine.map(\.round)) == allRounds, mine.count == allRounds.count else { return nil }
      return MeanStd.trapezoid(x: mine.map(\.cumulativeFraction), y: mine.map(\.meanDice))
    }
    seedDiceAUC = seedAreas.isEmpty ? nil : MeanStd(seedAreas)
  }
}
