// The paired comparison of an experiment's strategies against a reference (`random` when present):
// per-budget differences, AUBC with its difference, and each strategy's Dice band, all with
// seeded bootstrap intervals over seeds × test volumes. Compute only, no I/O.

/// Every paired statistic of one experiment; part of `summary.json` as `comparison`.
public struct PairedComparison: Codable, Sendable, Hashable {
  /// The strategy the others are compared against; `nil` when there are no results.
  public var reference: String?
  /// How the intervals were computed.
  public var bootstrap: Bootstrap
  /// Per non-reference strategy (in strategy order), then per round: strategy − reference.
  public var differences: [PairedDifference]
  /// Per strategy, in strategy order: its AUBC and (except the reference) the AUBC difference.
  public var aubc: [StrategyAUBC]
  /// Per strategy, in strategy order: the interval of its mean Dice at each round.
  public var bands: [DiceBand]

  public init(
    reference: String?, bootstrap: Bootstrap, differences: [PairedDifference], aubc: [StrategyAUBC], bands: [DiceBand]
  ) {
    self.reference = reference
    self.bootstrap = bootstrap
    self.differences = differences
    self.aubc = aubc
    self.bands = bands
  }

  /// The reference among `strategies`: `random` when present, otherwise the first.
  public static func reference(among strategies: [String]) -> String? {
    strategies.contains("random") ? "random" : strategies.first
  }

  /// Compares `strategies` (labels, in report order) on `results`. Results with a non-finite Dice
  /// are left out; only seeds present for both strategies count in a paired statistic.
  public init(results: [RoundResult], strategies: [String], bootstrap: Bootstrap = Bootstrap()) {
    let runs = Dictionary(
      uniqueKeysWithValues: strategies.map { label in
        (label, DiceRuns(results: results.filter { $0.strategy == label }))
      })
    let reference = Self.reference(among: strategies)
    let referenceRuns = reference.flatMap { runs[$0] }
    let others = strategies.filter { $0 != reference }
    self.reference = reference
    self.bootstrap = bootstrap
    differences = others.flatMap { label in
      PairedDifference.differences(
        strategy: label, runs: runs[label]!, reference: reference!, referenceRuns: referenceRuns!,
        bootstrap: bootstrap)
    }
    aubc = strategies.map { label in
      StrategyAUBC.estimate(
        strategy: label, runs: runs[label]!, reference: label == reference ? nil : referenceRuns,
        bootstrap: bootstrap)
    }
    bands = strategies.map { DiceBand.band(strategy: $0, runs: runs[$0]!, bootstrap: bootstrap) }
  }
}
