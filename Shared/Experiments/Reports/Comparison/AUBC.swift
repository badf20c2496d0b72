// Area under the budget curve: the trapezoid of mean test Dice over the cumulative labeled
// fraction, divided by the fraction range, so it is a mean Dice over the budget range, in [0, 1].

/// One strategy's AUBC with its bootstrap interval and, for non-reference strategies, the paired
/// AUBC difference against the reference.
public struct StrategyAUBC: Codable, Sendable, Hashable {
  public var strategy: String
  /// AUBC of the mean-over-seeds curve, over every seed of the strategy.
  public var aubc: BootstrapEstimate
  /// AUBC(strategy) − AUBC(reference) over the seeds both ran and the rounds both reached, with
  /// the same resampled seeds and volumes on both sides; `nil` for the reference itself.
  public var difference: BootstrapEstimate?

  public init(strategy: String, aubc: BootstrapEstimate, difference: BootstrapEstimate?) {
    self.strategy = strategy
    self.aubc = aubc
    self.difference = difference
  }

  /// Trapezoid area under `(x, y)` (x ascending) divided by the x range; the only y when there is
  /// one point (or no range), NaN for none.
  public static func normalizedArea(x: [Double], y: [Double]) -> Double {
    guard let first = x.first, let last = x.last else { return .nan }
    let span = last - first
    return span > 0 ? MeanStd.trapezoid(x: x, y: y) / span : y[0]
  }

  // MARK: - Computing

  /// The AUBC of `runs` with its interval, and the paired difference against `reference` when given.
  static func estimate(strategy: String, runs: DiceRuns, reference: DiceRuns?, bootstrap: Bootstrap) -> StrategyAUBC {
    StrategyAUBC(
      strategy: strategy, aubc: area(of: [runs], bootstrap: bootstrap),
      difference: reference.map {
        area(of: [runs, $0], bootstrap: bootstrap)
      })
  }

  /// One run list: its AUBC. Two: AUBC(first) − AUBC(second) over their common seeds and rounds.
  static func area(of runs: [DiceRuns], bootstrap: Bootstrap) -> BootstrapEstimate {
    let seeds = runs.dropFirst().reduce(runs[0].seeds) { seeds, run in seeds.filter(run.seeds.contains) }
    let rounds = runs.dropFirst().reduce(runs[0].rounds) { rounds, run in rounds.filter(run.rounds.contains) }
    let volumes = DiceRuns.commonVolumes(runs, seeds: seeds, rounds: rounds)
    let curves = runs.map { $0.curve(seeds: seeds, rounds: rounds) }
    func statistic(_ draw: Bootstrap.Draw) -> Double {
      let areas = curves.map { normalizedArea(x: $0.x, y: $0.y(draw)) }
      return areas.count == 1 ? areas[0] : areas[0] - areas[1]
    }
    return bootstrap.estimate(
      point: statistic(.observed(seeds: seeds.count)), seeds: seeds.count, volumes: volumes, statistic: statistic)
  }
}
