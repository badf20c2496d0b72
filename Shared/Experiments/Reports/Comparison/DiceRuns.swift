// The test Dice of every run of one strategy, by seed and round, as the bootstrap reads it.

/// One strategy's test Dice: for each seed and round the mean over test volumes and, when every
/// volume was reported finite, the per-volume values. Runs without a finite Dice are left out.
struct DiceRuns {
  struct Cell {
    /// Mean test Dice over volumes (the per-class mean when volumes are missing).
    var mean: Double
    /// Per-volume mean foreground Dice; empty when missing or not all finite.
    var volumes: [Double]
    var fraction: Double

    /// The mean over the drawn volume indices, or `mean` when no volumes were drawn.
    func value(_ drawn: [Int]) -> Double {
      guard !drawn.isEmpty else { return mean }
      return drawn.reduce(0) { $0 + volumes[$1] } / Double(drawn.count)
    }
  }

  /// cells[seed][round]
  var cells: [UInt64: [Int: Cell]] = [:]

  init(results: [RoundResult]) {
    for result in results {
      let finite = !result.volumeDice.isEmpty && result.volumeDice.allSatisfy(\.isFinite)
      let volumes = finite ? result.volumeDice : []
      let mean = finite ? volumes.reduce(0, +) / Double(volumes.count) : result.meanDice
      guard mean.isFinite else { continue }
      cells[result.seed, default: [:]][result.round] = Cell(mean: mean, volumes: volumes, fraction: result.cumulativeFraction)
    }
  }

  /// Seeds with at least one finite round, ascending.
  var seeds: [UInt64] { cells.keys.sorted() }
  /// Rounds some seed has, ascending.
  var rounds: [Int] { Set(cells.values.flatMap(\.keys)).sorted() }

  /// The cell of `seed` at `round`, if that run reached it with a finite Dice.
  func cell(_ seed: UInt64, _ round: Int) -> Cell? { cells[seed]?[round] }

  /// The per-seed volume count when every cell of `seeds` at `rounds` in all `runs` has the same
  /// positive number of volumes; otherwise 0 (resample seeds only).
  static func commonVolumes(_ runs: [DiceRuns], seeds: [UInt64], rounds: [Int]) -> Int {
    let counts = Set(runs.flatMap { run in
      seeds.flatMap { seed in rounds.compactMap { run.cell(seed, $0)?.volumes.count } }
    })
    return counts.count == 1 && counts.first! > 0 ? counts.first! : 0
  }

  /// The mean-over-seeds curve at `rounds`: x the mean fraction, y the mean Dice of the seeds
  /// (from `seeds`, drawn by `draw` when given) that reached each round. A round none of the drawn
  /// seeds reached takes its value over all of `seeds`; a round none of `seeds` reached is skipped.
  func curve(seeds: [UInt64], rounds: [Int], draw: Bootstrap.Draw? = nil) -> (x: [Double], y: [Double]) {
    let picks = draw ?? seeds.indices.map { ($0, []) }
    var (x, y) = ([Double](), [Double]())
    for round in rounds {
      let reached = seeds.compactMap { cell($0, round) }
      guard !reached.isEmpty else { continue }
      let drawn = picks.compactMap { pick in cell(seeds[pick.seed], round).map { $0.value(pick.volumes) } }
      x.append(reached.reduce(0) { $0 + $1.fraction } / Double(reached.count))
      y.append(drawn.isEmpty ? reached.reduce(0) { $0 + $1.mean } / Double(reached.count) : drawn.reduce(0, +) / Double(drawn.count))
    }
    return (x, y)
  }
}
