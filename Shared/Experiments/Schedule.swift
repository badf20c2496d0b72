// The labeling schedule: cumulative labeled fractions per round (method-spec §1.2–1.3).
// Increments are accumulated in Double exactly as the reference code does.

/// Cumulative labeled fraction of the pool after each round; round 0 is the initial pool.
public struct Schedule: Codable, Sendable, Hashable {
  /// Cumulative fractions, strictly increasing, each in (0, 1].
  public var cumulative: [Double]
  /// The named schedule this came from, if any (`paper`, `code-long`, `ours-code`).
  public var name: String?

  /// A schedule from cumulative fractions, taken as given.
  public init(cumulative: [Double], name: String? = nil) {
    self.cumulative = cumulative
    self.name = name
  }

  /// A schedule from per-round increments, summed in Double (`cur_total_oracle_split += oracle_frac`),
  /// so `[.01]*5 + [.05]*3` gives `0.15000000000000002` at round 7, as the reference code does.
  public init(increments: [Double], name: String? = nil) {
    var total = 0.0
    var cumulative: [Double] = []
    for increment in increments {
      total += increment
      cumulative.append(total)
    }
    self.init(cumulative: cumulative, name: name)
  }

  /// Number of rounds, including round 0.
  public var roundCount: Int { cumulative.count }

  // MARK: - Named schedules

  /// Names accepted by `named(_:)`.
  public static let names = ["paper", "code-long", "ours-code"]

  /// A named schedule: `paper` = 2,3,4,5,10,15,20,40 % (cumulative, method-spec §1.3);
  /// `code-long` = increments `[.01]*5 + [.05]*3 + [.20]` (1…5,10,15,20,40 %);
  /// `ours-code` = increments `[.01]*5` (1…5 %).
  public static func named(_ name: String) -> Schedule? {
    switch name {
    case "paper":
      Schedule(cumulative: [0.02, 0.03, 0.04, 0.05, 0.10, 0.15, 0.20, 0.40], name: name)
    case "code-long":
      Schedule(increments: Array(repeating: 0.01, count: 5) + Array(repeating: 0.05, count: 3) + [0.20], name: name)
    case "ours-code":
      Schedule(increments: Array(repeating: 0.01, count: 5), name: name)
    default:
      nil
    }
  }

  // MARK: - Arithmetic

  /// Number of slices labeled in total after `round`: `Int(poolSize × cumulative[round])`, truncated.
  public func labeledCount(poolSize: Int, round: Int) -> Int {
    precondition(cumulative.indices.contains(round), "round \(round) outside schedule of \(roundCount) rounds")
    return Int(Double(poolSize) * cumulative[round])
  }

  /// Slices to select in `round` when `labeledSoFar` are already labeled:
  /// `n_new = Int(N_total × cumulative) − labeledCount` (method-spec §1.2), never below 0.
  public func newCount(poolSize: Int, round: Int, labeledSoFar: Int) -> Int {
    max(0, labeledCount(poolSize: poolSize, round: round) - labeledSoFar)
  }

  /// Cumulative labeled counts for every round, assuming each round labeled exactly `n_new`.
  public func labeledCounts(poolSize: Int) -> [Int] {
    var labeled = 0
    return cumulative.indices.map { round in
      labeled += newCount(poolSize: poolSize, round: round, labeledSoFar: labeled)
      return labeled
    }
  }

  /// Training iterations in `round`: `Int(maxIterations × cumulative fraction)` (method-spec §2.5).
  public func trainingIterations(maxIterations: Int, round: Int) -> Int {
    precondition(cumulative.indices.contains(round), "round \(round) outside schedule of \(roundCount) rounds")
    return Int(Double(maxIterations) * cumulative[round])
  }
}
