// Per strategy and round, the bootstrap interval of its mean test Dice: the shaded band of the plot.

/// The mean test Dice curve of one strategy with a bootstrap interval at each round.
public struct DiceBand: Codable, Sendable, Hashable {
  /// One round of the band.
  public struct Point: Codable, Sendable, Hashable {
    public var round: Int
    public var cumulativeFraction: Double
    /// Mean over seeds of the mean test Dice over volumes.
    public var dice: BootstrapEstimate

    public init(round: Int, cumulativeFraction: Double, dice: BootstrapEstimate) {
      self.round = round
      self.cumulativeFraction = cumulativeFraction
      self.dice = dice
    }
  }

  public var strategy: String
  /// Rounds with at least one finite Dice, ascending.
  public var points: [Point]

  public init(strategy: String, points: [Point]) {
    self.strategy = strategy
    self.points = points
  }

  /// The band of `runs`, each round over the seeds that reached it.
  static func band(strategy: String, runs: DiceRuns, bootstrap: Bootstrap) -> DiceBand {
    DiceBand(
      strategy: strategy,
      points: runs.rounds.map { round in
        let seeds = runs.seeds.filter { runs.cell($0, round) != nil }
        let volumes = DiceRuns.commonVolumes([runs], seeds: seeds, rounds: [round])
        let curve = runs.curve(seeds: seeds, rounds: [round])
        let dice = bootstrap.estimate(point: curve.observed[0], seeds: seeds.count, volumes: volumes) { curve.y($0)[0] }
        return Point(round: round, cumulativeFraction: curve.x[0], dice: dice)
      })
  }
}
