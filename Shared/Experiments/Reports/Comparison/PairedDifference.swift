// Per budget, the paired difference strategy − reference of test Dice over the seeds both ran,
// with a bootstrap interval that resamples the same seeds and test volumes for both.

/// Test Dice of a strategy minus that of the reference at one round.
public struct PairedDifference: Codable, Sendable, Hashable {
  public var strategy: String
  public var reference: String
  public var round: Int
  /// Mean cumulative labeled fraction of the strategy's runs at this round.
  public var cumulativeFraction: Double
  /// Mean over common seeds of (Dice − reference Dice), each the mean over test volumes.
  public var difference: BootstrapEstimate

  public init(
    strategy: String, reference: String, round: Int, cumulativeFraction: Double, difference: BootstrapEstimate
  ) {
    self.strategy = strategy
    self.reference = reference
    self.round = round
    self.cumulativeFraction = cumulativeFraction
    self.difference = difference
  }

  /// One difference per round either strategy reached, ascending; NaN (`n/a`) where no seed has both.
  static func differences(
    strategy: String, runs: DiceRuns, reference: String, referenceRuns: DiceRuns,
    bootstrap: Bootstrap
  ) -> [PairedDifference] {
    Set(runs.rounds + referenceRuns.rounds).sorted().map { round in
      let seeds = runs.seeds.filter { runs.cell($0, round) != nil && referenceRuns.cell($0, round) != nil }
      let volumes = DiceRuns.commonVolumes([runs, referenceRuns], seeds: seeds, rounds: [round])
      let pairs = seeds.map { (runs.cell($0, round)!, referenceRuns.cell($0, round)!) }
      func statistic(_ draw: Bootstrap.Draw) -> Double {
        var sum = 0.0
        for k in draw.seeds.indices {
          let (cell, reference) = pairs[draw.seeds[k]]
          sum += cell.value(draw.volumes(k)) - reference.value(draw.volumes(k))
        }
        return sum / Double(draw.seeds.count)
      }
      let point = statistic(.observed(seeds: seeds.count))
      let fractions = [runs, referenceRuns].flatMap { run in run.seeds.compactMap { run.cell($0, round)?.fraction } }
      return PairedDifference(
        strategy: strategy, reference: reference, round: round,
        cumulativeFraction: fractions.reduce(0, +) / Double(fractions.count),
        difference: bootstrap.estimate(point: point, seeds: seeds.count, volumes: volumes, statistic: statistic))
    }
  }
}
