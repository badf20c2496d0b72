// The per-run results as CSV: one row per strategy × seed × round.

/// Writes round results as CSV (RFC 4180 quoting, `\n` line ends).
public enum ResultsCSV {
  /// The header for `classNames`: identity, budget, cost, mean metrics, then per-class Dice and HD95.
  public static func header(classNames: [String]) -> [String] {
    [
      "strategy", "seed", "round", "labeled_slices", "cumulative_fraction", "cost_slices", "cost_pixels",
      "cost_seconds", "mean_dice", "mean_hd95"
    ]
      + classNames.map { "dice_\($0)" } + classNames.map { "hd95_\($0)" }
  }

  /// The CSV text, rows sorted by strategy order of first appearance, then seed, then round. A
  /// result without test metrics (or with another class count) gets `nan` for each class.
  public static func csv(results: [RoundResult], classNames: [String]) -> String {
    var order: [String] = []
    for result in results where !order.contains(result.strategy) { order.append(result.strategy) }
    let sorted = results.sorted {
      let (a, b) = (order.firstIndex(of: $0.strategy)!, order.firstIndex(of: $1.strategy)!)
      return a != b ? a < b : ($0.seed != $1.seed ? $0.seed < $1.seed : $0.round < $1.round)
    }
    var lines = [header(classNames: classNames).map(field).joined(separator: ",")]
    for r in sorted.map({ $0.withClasses(classNames.count) }) {
      let values =
        [
          r.strategy, String(r.seed), String(r.round), String(r.labeledSlices), "\(r.cumulativeFraction)",
          "\(r.cost.slices)", "\(r.cost.pixels)", "\(r.cost.seconds)", "\(r.meanDice)", "\(r.meanHD95)"
        ]
        + r.classDice.map { "\($0)" } + r.classHD95.map { "\($0)" }
      lines.append(values.map(field).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A field, quoted when it holds a comma, quote or line break.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
