// A hand-computable set of round results: strategy A with seeds 0 and 1, strategy "B, pixels"
// with seed 0 only, two rounds (2 % and 4 %), two foreground classes.

@testable import Experiments

enum ReportFixtures {
  static func result(_ strategy: String, _ seed: UInt64, _ round: Int, dice: [Double], hd: [Double], seconds: Double)
    -> RoundResult
  {
    RoundResult(
      strategy: strategy, seed: seed, round: round, labeledSlices: round == 0 ? 29 : 58,
      cumulativeFraction: round == 0 ? 0.02 : 0.04,
      cost: AnnotationCost(slices: round == 0 ? 29 : 58, pixels: round == 0 ? 1000 : 2000, seconds: seconds),
      classDice: dice, classHD95: hd)
  }

  static let results: [RoundResult] = [
    result("A", 0, 0, dice: [0.6, 0.8], hd: [10, 20], seconds: 50),  // mean Dice 0.70
    result("A", 1, 0, dice: [0.5, 0.7], hd: [12, 18], seconds: 70),  // 0.60
    result("B, pixels", 0, 0, dice: [0.4, 0.6], hd: [30, 40], seconds: 10),  // 0.50
    result("A", 0, 1, dice: [0.8, 0.9], hd: [5, 7], seconds: 100),  // 0.85
    result("A", 1, 1, dice: [0.7, 0.8], hd: [6, 8], seconds: 120),  // 0.75
    result("B, pixels", 0, 1, dice: [0.6, 0.7], hd: [20, 30], seconds: 20)  // 0.65
  ]

  static let summary = ExperimentSummary(experiment: "acdc <full>", results: results, classNames: ["RV", "LV"])
}
