// An inline SVG line plot of mean Dice vs labeled fraction for every strategy, with translucent
// 95 % bootstrap bands, axes, tick labels, axis titles and a legend. No scripts, no external assets.

/// Draws the Dice-vs-budget plot of a summary as standalone SVG markup.
public enum DiceCurvePlot {
  /// Line colours, cycled (Tableau 10).
  static let palette = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac"
  ]

  /// The SVG element: one `<path class="line">` per strategy, behind it one `<path class="band">`
  /// per strategy with a finite interval (the bootstrap interval of its mean Dice at each budget,
  /// from `summary.comparison.bands`), one `<circle>` per point.
  public static func svg(_ summary: ExperimentSummary, width: Double = 720, height: Double = 420) -> String {
    let (left, right, top, bottom) = (64.0, 180.0, 20.0, 52.0)
    let plotW = width - left - right, plotH = height - top - bottom
    let points = summary.strategies.flatMap(\.rounds)
    let xs = points.map(\.cumulativeFraction)
    var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
    if x1 - x0 < 1e-12 { (x0, x1) = (max(0, x0 - 0.01), x1 + 0.01) }
    let bands = Dictionary(
      (summary.comparison?.bands ?? []).map { ($0.strategy, $0.points) }, uniquingKeysWith: { a, _ in a })
    let intervals = bands.values.flatMap { $0.flatMap { [$0.dice.ciLow, $0.dice.ciHigh] } }
    let values = (points.map(\.meanDice.mean) + intervals).filter(\.isFinite)
    var y0 = max(0, ((values.min() ?? 0) * 10).rounded(.down) / 10)
    var y1 = min(1, ((values.max() ?? 1) * 10).rounded(.up) / 10)
    if y1 - y0 < 0.1 { (y0, y1) = (max(0, y1 - 0.1), max(y1, 0.1)) }
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
    func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
    func n(_ v: Double) -> String { MeanStd.fixed(v, 2) }

    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">",
      "<title>Mean test Dice vs labeled fraction: \(summary.experiment.xmlEscaped)</title>",
      "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"#333\"/>"
    ]
    // MARK: - Axes
    let xTicks = ticks(from: x0, to: x1)
    let xDigits = xTicks.allSatisfy { abs($0 * 100 - ($0 * 100).rounded()) < 1e-9 } ? 0 : 1
    for tick in xTicks {
      let x = px(tick)
      svg.append(
        "<line x1=\"\(n(x))\" y1=\"\(n(top + plotH))\" x2=\"\(n(x))\" y2=\"\(n(top + plotH + 5))\" stroke=\"#333\"/>")
      svg.append(
        "<text x=\"\(n(x))\" y=\"\(n(top + plotH + 18))\" text-anchor=\"middle\">\(MeanStd.fixed(tick * 100, xDigits))%</text>"
      )
    }
    for tick in ticks(from: y0, to: y1) {
      let y = py(tick)
      svg.append("<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y))\" stroke=\"#ddd\"/>")
      svg.append("<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(MeanStd.fixed(tick, 2))</text>")
    }
    svg.append(
      "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 10))\" text-anchor=\"middle\">Labeled fraction of the pool</text>"
    )
    svg.append(
      "<text x=\"16\" y=\"\(n(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(n(top + plotH / 2)))\">Mean test Dice</text>"
    )
    // MARK: - Series
    for (index, strategy) in summary.strategies.enumerated() {
      let color = palette[index % palette.count]
      let rounds = strategy.rounds.filter { $0.meanDice.mean.isFinite }.sorted {
        $0.cumulativeFraction < $1.cumulativeFraction
      }
      guard !rounds.isEmpty else { continue }
      let band = (bands[strategy.strategy] ?? []).filter { $0.dice.ciLow.isFinite && $0.dice.ciHigh.isFinite }
        .sorted { $0.cumulativeFraction < $1.cumulativeFraction }
      if !band.isEmpty {
        let upper = band.map { "\(n(px($0.cumulativeFraction))) \(n(py(min(y1, $0.dice.ciHigh))))" }
        let lower = band.reversed().map { "\(n(px($0.cumulativeFraction))) \(n(py(max(y0, $0.dice.ciLow))))" }
        let d = (upper + lower).enumerated().map { ($0 == 0 ? "M" : "L") + $1 }.joined(separator: " ") + " Z"
        svg.append(
          "<path class=\"band\" data-strategy=\"\(strategy.strategy.xmlEscaped)\" d=\"\(d)\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"\(color)\" stroke-opacity=\"0.3\" stroke-width=\"0.5\"/>"
        )
      }
      let d = rounds.enumerated().map {
        "\($0 == 0 ? "M" : "L")\(n(px($1.cumulativeFraction))) \(n(py($1.meanDice.mean)))"
      }
      svg.append(
        "<path class=\"line\" data-strategy=\"\(strategy.strategy.xmlEscaped)\" d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
      )
      for round in rounds {
        svg.append(
          "<circle cx=\"\(n(px(round.cumulativeFraction)))\" cy=\"\(n(py(round.meanDice.mean)))\" r=\"3\" fill=\"\(color)\"><title>\(strategy.strategy.xmlEscaped), \(MeanStd.fixed(round.cumulativeFraction * 100, 1))%: \(round.meanDice.formatted())</title></circle>"
        )
      }
      // MARK: Legend entry
      let ly = top + 10 + Double(index) * 20
      svg.append(
        "<rect x=\"\(n(left + plotW + 16))\" y=\"\(n(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(color)\"/>")
      svg.append("<text x=\"\(n(left + plotW + 36))\" y=\"\(n(ly))\">\(strategy.strategy.xmlEscaped)</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n")
  }

  /// Evenly spaced round ticks (steps of 1, 2 or 5 × 10^k) covering [low, high], at most 7.
  static func ticks(from low: Double, to high: Double) -> [Double] {
    let span = high - low
    guard span > 0 else { return [low] }
    var step = 1e-6
    outer: while true {
      for factor in [1.0, 2.0, 5.0] where span / (step * factor) <= 6 {
        step *= factor
        break outer
      }
      step *= 10
    }
    var ticks: [Double] = []
    var k = (low / step - 1e-9).rounded(.up)
    while k * step <= high + step * 1e-9 {
      ticks.append(k * step)
      k += 1
    }
    return ticks
  }
}
