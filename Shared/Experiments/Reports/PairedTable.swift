// Plain-text tables of the paired comparison for the terminal: strategy − reference per budget,
// then each strategy's AUBC and its difference, all with 95 % bootstrap intervals. One row per
// strategy × budget keeps the lines under 100 columns whatever the number of strategies.

/// Renders the paired-comparison tables of a summary.
public enum PairedTable {
  /// The tables, or a one-line note when the summary has no comparison.
  public static func text(_ summary: ExperimentSummary, digits: Int = 4) -> String {
    guard let comparison = summary.comparison, let reference = comparison.reference else {
      return "Paired difference: not available (no comparison in this summary)\n"
    }
    let percent = Int((comparison.bootstrap.confidence * 100).rounded())
    var lines = [
      "Paired difference vs \(reference) [\(percent) % CI] of test Dice",
      "(\(comparison.bootstrap.resamples) bootstrap resamples of seeds and, within them, of test volumes)"
    ]
    if comparison.differences.isEmpty {
      lines.append("(only one strategy: nothing to compare)")
    } else {
      var rows = [["budget", "strategy", "difference [\(percent) % CI]", "seeds", "volumes"]]
      rows += comparison.differences.map { d in
        [budget(summary, d), d.strategy, d.difference.formatted(digits: digits, signed: true)] + counts(d.difference)
      }
      lines += table(rows, leftAligned: 3)
    }
    lines.append("")
    var rows = [["strategy", "AUBC [\(percent) % CI]", "vs \(reference) [\(percent) % CI]", "seeds", "volumes"]]
    rows += comparison.aubc.map { a in
      [a.strategy, a.aubc.formatted(digits: digits), a.difference?.formatted(digits: digits, signed: true) ?? "–"]
        + counts(a.difference ?? a.aubc)
    }
    lines += table(rows, leftAligned: 3)
    let estimates =
      comparison.differences.map(\.difference)
      + comparison.aubc.flatMap { [$0.aubc] + ($0.difference.map { [$0] } ?? []) }
    if estimates.contains(where: { $0.seeds > 0 && $0.volumes == 0 }) {
      lines.append("volumes –: no per-volume Dice (results before Metrics.volume_dice): resamples seeds only")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Cells

  static func table(_ rows: [[String]], leftAligned: Int) -> [String] {
    let lines = TextColumns.render(rows, leftAligned: leftAligned)
    return [lines[0], TextColumns.rule(rows)] + lines.dropFirst()
  }

  static func counts(_ estimate: BootstrapEstimate) -> [String] {
    [String(estimate.seeds), estimate.volumes > 0 ? String(estimate.volumes) : "–"]
  }

  /// `4.0% (58)`: the fraction and the strategy's mean labeled slices at that round.
  static func budget(_ summary: ExperimentSummary, _ difference: PairedDifference) -> String {
    let round = summary.strategies.first { $0.strategy == difference.strategy }?.rounds.first {
      $0.round == difference.round
    }
    let slices = round.map { " (\(MeanStd.fixed($0.labeledSlices.mean, 0)))" } ?? ""
    return "\(MeanStd.fixed(difference.cumulativeFraction * 100, 1))%\(slices)"
  }
}
