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
    func value(_ drawn: ArraySlice<Int>) -> Double {
      guard !drawn.isEmpty else { return mean }
      var sum = 0.0
      for v in drawn { sum += volumes[v] }
      return sum / Double(drawn.count)
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
      cells[result.seed, default: [:]][result.round] = Cell(
        mean: mean, volumes: volumes, fraction: result.cumulativeFraction)
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
    let counts = Set(
      runs.flatMap { run in
        seeds.flatMap { seed in rounds.compactMap { run.cell(seed, $0)?.volumes.count } }
      })
    return counts.count == 1 && counts.first! > 0 ? counts.first! : 0
  }

  /// The mean-over-seeds curve of `seeds` at `rounds`, ready to be re-evaluated on resamples.
  func curve(seeds: [UInt64], rounds: [Int]) -> Curve {
    let table = rounds.map { round in seeds.map { cell($0, round) } }.filter { $0.contains { $0 != nil } }
    return Curve(cells: table)
  }

  /// Mean Dice over seeds at each round some seed reached: x the mean fraction, y the mean Dice
  /// of the drawn seeds that reached the round (of all seeds when none of the drawn did).
  struct Curve {
    /// cells[round][seed]
    let cells: [[Cell?]]
    let x: [Double]
    let observed: [Double]

    init(cells: [[Cell?]]) {
      self.cells = cells
      x = cells.map { row in
        let reached = row.compactMap { $0 }; return reached.reduce(0) { $0 + $1.fraction } / Double(reached.count)
      }
      observed = cells.map { row in
        let reached = row.compactMap { $0 }; return reached.reduce(0) { $0 + $1.mean } / Double(reached.count)
      }
    }

    func y(_ draw: Bootstrap.Draw) -> [Double] {
      cells.indices.map { r in
        var (sum, count) = (0.0, 0)
        for k in draw.seeds.indices {
          guard let cell = cells[r][draw.seeds[k]] else { continue }
          sum += cell.value(draw.volumes(k))
          count += 1
        }
        return count == 0 ? observed[r] : sum / Double(count)
      }
    }
  }
}
