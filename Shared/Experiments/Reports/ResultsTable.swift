// A plain-text table for the terminal: Dice vs budget, one column per strategy, `mean ± std`.

/// Renders the Dice-vs-budget table of a summary.
public enum ResultsTable {
  /// One row per budget (cumulative fraction, with mean labeled slices), one column per strategy,
  /// then a row with each strategy's AUBC (normalised area under the curve). Columns are padded to align.
  public static func text(_ summary: ExperimentSummary, digits: Int = 4) -> String {
    let fractions = Array(Set(summary.strategies.flatMap { $0.rounds.map(\.cumulativeFraction) }))
      .sorted()
    var rows: [[String]] = [["budget"] + summary.strategies.map(\.strategy)]
    for fraction in fractions {
      var slices: Double?
      let cells = summary.strategies.map { strategy -> String in
        guard let round = strategy.rounds.first(where: { abs($0.cumulativeFraction - fraction) < 1e-9 }) else {
          return ""
        }
        slices = slices ?? round.labeledSlices.mean
        return round.meanDice.formatted(digits: digits)
      }
      let budget = "\(MeanStd.fixed(fraction * 100, 1))% (\(MeanStd.fixed(slices ?? 0, 0)))"
      rows.append([budget] + cells)
    }
    rows.append(["AUBC"] + summary.strategies.map { MeanStd.fixed($0.normalizedDiceAUC, digits) })
    let lines = TextColumns.render(rows)
    let rule = TextColumns.rule(rows)
    var text =
      ["Mean test Dice vs budget: \(summary.experiment)", lines[0], rule] + lines.dropFirst().dropLast() + [
        rule, lines.last!
      ]
    let measured = summary.strategies.contains { $0.rounds.contains { $0.meanDice.mean.isFinite } }
    if !measured && !summary.strategies.isEmpty {
      text.append(
        "(no test Dice: the dataset has no test slices, as imported with --allow-no-test; import at least 3 patients to measure it)"
      )
    }
    return text.joined(separator: "\n") + "\n"
  }
}
