// `paired.csv`: the paired differences against the reference as CSV, one row per strategy ×
// budget (metric `dice`) and one AUBC row per strategy (metric `aubc`, no round).

/// Writes a `PairedComparison`'s differences as CSV (RFC 4180 quoting, `\n` line ends).
public enum PairedCSV {
  /// Column names.
  public static let header = [
    "metric", "strategy", "reference", "round", "cumulative_fraction", "difference", "ci_low",
    "ci_high", "n_seeds", "n_volumes"
  ]

  /// The CSV text: `dice` rows in strategy then round order, then `aubc` rows in strategy order.
  /// NaN is written `nan`; `n_volumes` 0 means the interval resampled seeds only.
  public static func csv(_ comparison: PairedComparison) -> String {
    func row(_ metric: String, _ strategy: String, _ round: String, _ fraction: String, _ e: BootstrapEstimate)
      -> String
    {
      [
        metric, strategy, comparison.reference ?? "", round, fraction, "\(e.value)", "\(e.ciLow)", "\(e.ciHigh)",
        String(e.seeds), String(e.volumes)
      ].map(ResultsCSV.field).joined(separator: ",")
    }
    var lines = [header.joined(separator: ",")]
    lines += comparison.differences.map {
      row("dice", $0.strategy, String($0.round), "\($0.cumulativeFraction)", $0.difference)
    }
    lines += comparison.aubc.compactMap { aubc in aubc.difference.map { row("aubc", aubc.strategy, "", "", $0) } }
    return lines.joined(separator: "\n") + "\n"
  }
}
