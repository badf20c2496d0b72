// A self-contained report page (XHTML-compatible markup, inline CSS and SVG, no scripts or
// external assets): the Dice-vs-budget plot, the paired differences against the reference with
// intervals, and tables of Dice, HD95, cost and AUC.

/// Renders the HTML report of a summary.
public enum HTMLReport {
  /// The complete page. `definitionYAML`, when given, is shown verbatim at the end.
  public static func html(_ summary: ExperimentSummary, definitionYAML: String? = nil) -> String {
    let title = "ActiveSeg experiment: \(summary.experiment)".xmlEscaped
    var body: [String] =
      [
        "<h1>\(title)</h1>",
        "<h2>Mean test Dice vs budget</h2>",
        "<p>Test Dice of the ensemble member with the best validation Dice, mean over seeds; shaded bands are 95 % bootstrap intervals over seeds × test volumes.</p>",
        DiceCurvePlot.svg(summary)
      ] + pairedTables(summary) + [
        "<h2>Area under the Dice-vs-budget curve</h2>",
        table(
          header: ["strategy", "seeds", "AUC", "AUBC", "per-seed AUC"],
          rows: summary.strategies.map {
            [
              $0.strategy, $0.seeds.map(String.init).joined(separator: ", "), MeanStd.fixed($0.diceAUC, 5),
              MeanStd.fixed($0.normalizedDiceAUC, 4), $0.seedDiceAUC?.formatted(digits: 5) ?? "–"
            ]
          })
      ]
    body.append("<h2>Per round</h2>")
    for strategy in summary.strategies {
      body.append("<h3>\(strategy.strategy.xmlEscaped)</h3>")
      let header =
        ["round", "fraction", "labeled slices", "mean Dice"] + summary.classNames.map { "Dice \($0)" }
        + ["mean HD95"] + summary.classNames.map { "HD95 \($0)" } + ["cost (slices)", "cost (pixels)", "cost (s)"]
      body.append(
        table(
          header: header,
          rows: strategy.rounds.map { r in
            [
              String(r.round), MeanStd.fixed(r.cumulativeFraction * 100, 1) + "%", r.labeledSlices.formatted(digits: 1),
              r.meanDice.formatted()
            ] + r.classDice.map { $0.formatted() } + [r.meanHD95.formatted(digits: 2)]
              + r.classHD95.map { $0.formatted(digits: 2) }
              + [
                r.costSlices.formatted(digits: 1), r.costPixels.formatted(digits: 0), r.costSeconds.formatted(digits: 1)
              ]
          }))
    }
    if let definitionYAML {
      body.append("<h2>Definition</h2>")
      body.append("<pre>\(definitionYAML.xmlEscaped)</pre>")
    }
    return """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
      <head>
      <meta charset="utf-8"/>
      <title>\(title)</title>
      <style>
      body { font-family: sans-serif; margin: 2em; color: #222; }
      table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; font-variant-numeric: tabular-nums; }
      th:first-child, td:first-child { text-align: left; }
      pre { background: #f6f6f6; padding: 1em; }
      </style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
  }

  /// The paired-difference table (one row per strategy × budget) and the AUBC table, or nothing
  /// without a comparison.
  static func pairedTables(_ summary: ExperimentSummary) -> [String] {
    guard let comparison = summary.comparison, let reference = comparison.reference else { return [] }
    let ci = "[\(Int((comparison.bootstrap.confidence * 100).rounded())) % CI]"
    return [
      "<h2>Paired difference vs \(reference.xmlEscaped)</h2>",
      "<p>Test Dice of each strategy minus that of \(reference.xmlEscaped) on the same seeds; intervals from \(comparison.bootstrap.resamples) bootstrap resamples of seeds and, within them, of the same test volumes for both (volumes –: seeds only, per-volume Dice missing).</p>",
      table(
        header: ["round", "fraction", "strategy", "difference \(ci)", "seeds", "volumes"],
        rows: comparison.differences.map { d in
          [
            String(d.round), MeanStd.fixed(d.cumulativeFraction * 100, 1) + "%", d.strategy,
            d.difference.formatted(signed: true)
          ]
            + PairedTable.counts(d.difference)
        }),
      table(
        header: ["strategy", "AUBC \(ci)", "vs \(reference) \(ci)", "seeds", "volumes"],
        rows: comparison.aubc.map { a in
          [a.strategy, a.aubc.formatted(), a.difference?.formatted(signed: true) ?? "–"]
            + PairedTable.counts(a.difference ?? a.aubc)
        })
    ]
  }

  static func table(header: [String], rows: [[String]]) -> String {
    var lines = ["<table>", "<tr>" + header.map { "<th>\($0.xmlEscaped)</th>" }.joined() + "</tr>"]
    lines += rows.map { "<tr>" + $0.map { "<td>\($0.xmlEscaped)</td>" }.joined() + "</tr>" }
    lines.append("</table>")
    return lines.joined(separator: "\n")
  }
}
