// Hand-made runs for the paired comparison: per-volume Dice given as dice[seed][round][volume],
// one foreground class whose Dice is the volume mean, fractions 10 %, 20 %, 40 %, ….

import Randomness
@testable import Experiments

enum PairedFixtures {
  static let fractions = [0.1, 0.2, 0.4, 0.8]

  /// One result per seed (0, 1, …) and round of `dice[seed][round][volume]`.
  static func results(_ strategy: String, _ dice: [[[Double]]], seeds: [UInt64]? = nil) -> [RoundResult] {
    dice.enumerated().flatMap { s, rounds in
      rounds.enumerated().map { round, volumes in
        RoundResult(
          strategy: strategy, seed: seeds?[s] ?? UInt64(s), round: round, labeledSlices: 10 * (round + 1),
          cumulativeFraction: fractions[round], cost: AnnotationCost(slices: 1, pixels: 1, seconds: 1),
          classDice: [volumes.isEmpty ? .nan : volumes.reduce(0, +) / Double(volumes.count)], classHD95: [1],
          volumeDice: volumes)
      }
    }
  }

  /// dice[seed][round][volume] uniform in [low, high), seeded.
  static func noise(seeds: Int, rounds: Int, volumes: Int, low: Double = 0.1, high: Double = 0.9, seed: UInt64 = 7)
    -> [[[Double]]]
  {
    var generator = SplitMix64(seed: seed)
    return (0..<seeds).map { _ in (0..<rounds).map { _ in (0..<volumes).map { _ in generator.uniform(low, high) } } }
  }

  /// `dice` with `shift` added to every volume of the seeds in `only` (all seeds when `nil`).
  static func shifted(_ dice: [[[Double]]], by shift: Double, only: Set<Int>? = nil) -> [[[Double]]] {
    dice.enumerated().map { s, rounds in
      only.map { $0.contains(s) } ?? true ? rounds.map { $0.map { $0 + shift } } : rounds
    }
  }

  static func comparison(_ results: [RoundResult], strategies: [String] = ["random", "ours"]) -> PairedComparison {
    PairedComparison(results: results, strategies: strategies)
  }
}
