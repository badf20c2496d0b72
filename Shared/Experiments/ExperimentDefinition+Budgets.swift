// The check at the door: a definition's budgets against the size of the pool it will run on, before
// anything starts (a first round of 0 slices would fail only at training, and again on every resume).
import Foundation

extension ExperimentDefinition {
  /// Refuses a schedule whose first round labels no slice of a `poolSize`-slice pool, with the exact count.
  public func checkBudgets(poolSize: Int) throws {
    guard poolSize > 0 else {
      throw ExperimentError(
        code: .invalidValue, path: "dataset",
        message: "dataset '\(dataset)' has no training slices to select from; import a dataset with train patients")
    }
    let first = schedule.cumulative[0]
    let count = schedule.labeledCount(poolSize: poolSize, round: 0)
    guard count >= 1 else {
      let smallest = (10_000 / Double(poolSize)).rounded(.up) / 10_000  // at least 1 slice, in steps of 0.01 %
      throw ExperimentError(
        code: .invalidValue, path: "schedule",
        message:
          "the first round labels \(Self.percent(first)) of the \(poolSize)-slice pool of '\(dataset)', which is \(Self.count(first, poolSize)) → 0 slices; start the schedule at \(Self.percent(smallest)) (\(Int(Double(poolSize) * smallest)) slice) or more"
      )
    }
  }

  static func percent(_ fraction: Double) -> String {
    String(format: "%g%%", (fraction * 100 * 1e6).rounded() / 1e6)
  }

  static func count(_ fraction: Double, _ poolSize: Int) -> String {
    String(format: "%d × %g = %g", poolSize, fraction, Double(poolSize) * fraction)
  }
}
