// CSV, terminal table, SVG plot and HTML page renderings of the fixture results.

import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif
import Testing
@testable import Experiments

/// Counts elements by name and records parse errors.
final class ElementCounter: NSObject, XMLParserDelegate {
  var counts: [String: Int] = [:]
  var attributes: [String: [[String: String]]] = [:]
  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String]
  ) {
    counts[name, default: 0] += 1
    attributes.isEmpty ? () : self.attributes[name, default: []].append(attributes)
  }
}

@Suite struct ReportRenderingTests {
  func parse(_ markup: String) -> (Bool, ElementCounter, String) {
    let parser = XMLParser(data: Data(markup.utf8))
    let counter = ElementCounter()
    parser.delegate = counter
    let ok = parser.parse()
    return (ok, counter, parser.parserError.map { "\($0)" } ?? "")
  }

  @Test func csvHeaderAndRows() {
    let csv = ResultsCSV.csv(results: ReportFixtures.results, classNames: ["RV", "LV"])
    let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines[0]
        == "strategy,seed,round,labeled_slices,cumulative_fraction,cost_slices,cost_pixels,cost_seconds,mean_dice,mean_hd95,dice_RV,dice_LV,hd95_RV,hd95_LV"
    )
    #expect(lines.count == 1 + 6 + 1 && lines.last == "")
    #expect(lines[1].hasPrefix("A,0,0,29,0.02,29.0,1000.0,50.0,0.7"))
    #expect(lines[1].hasSuffix(",0.6,0.8,10.0,20.0"))
    #expect(lines[2].hasPrefix("A,0,1,58,0.04,"))
    #expect(lines[3].hasPrefix("A,1,0,"))
    #expect(lines[5].hasPrefix("\"B, pixels\",0,0,"))
    #expect(
      lines.dropFirst().dropLast().allSatisfy { $0.split(separator: ",").count == 14 + ($0.hasPrefix("\"") ? 1 : 0) })
    #expect(ResultsCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
  }

  @Test func terminalTable() {
    let text = ResultsTable.text(ReportFixtures.summary)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0].contains("acdc <full>"))
    #expect(lines[1].hasPrefix("budget") && lines[1].contains("A") && lines[1].hasSuffix("B, pixels"))
    #expect(lines[3].hasPrefix("2.0% (29)") && lines[3].contains("0.6500 ± 0.0707") && lines[3].hasSuffix("0.5000 ± –"))
    #expect(lines[4].hasPrefix("4.0% (58)") && lines[4].contains("0.8000 ± 0.0707"))
    #expect(lines.last!.hasPrefix("AUBC") && lines.last!.contains("0.7250"))
    let widths = Set([lines[1], lines[3], lines[4]].map(\.count))
    #expect(widths.count == 1, "columns are not aligned")
  }

  @Test func svgHasOneLineAndOneBandPathPerStrategy() {
    let svg = DiceCurvePlot.svg(ReportFixtures.summary)
    let (ok, counter, error) = parse(svg)
    #expect(ok, "\(error)")
    #expect(counter.counts["path"] == 4 && counter.counts["polygon"] == nil)
    #expect(counter.counts["circle"] == 4)
    let paths = counter.attributes["path"] ?? []
    #expect(paths.filter { $0["class"] == "line" }.compactMap { $0["data-strategy"] } == ["A", "B, pixels"])
    #expect(paths.filter { $0["class"] == "band" }.compactMap { $0["data-strategy"] } == ["A", "B, pixels"])
    #expect(
      paths.filter { $0["class"] == "band" }.allSatisfy { $0["fill-opacity"] == "0.18" && $0["d"]!.hasSuffix("Z") })
    #expect(svg.contains("Labeled fraction of the pool") && svg.contains("Mean test Dice"))
    #expect(svg.contains(">B, pixels</text>"))  // legend
    #expect(svg.contains(">2.5%</text>") && svg.contains(">4.0%</text>"))  // half-percent ticks keep a decimal
    // A rises from 0.65 to 0.80: the line's second point is higher on screen (smaller y).
    let d = paths.first { $0["class"] == "line" }!["d"]!.split(separator: " ")
    #expect(Double(d[3])! < Double(d[1])!)
  }

  @Test func ticksAreRoundAndCover() {
    let ticks = DiceCurvePlot.ticks(from: 0.02, to: 0.4)
    #expect(ticks.count == 4)
    #expect(abs(ticks[0] - 0.1) < 1e-12 && abs(ticks.last! - 0.4) < 1e-12)
    #expect(DiceCurvePlot.ticks(from: 0.02, to: 0.05).map { ($0 * 1000).rounded() } == [20, 25, 30, 35, 40, 45, 50])
    #expect(DiceCurvePlot.ticks(from: 0.5, to: 0.9).count == 5)
  }

  @Test func htmlIsSelfContainedAndWellFormed() throws {
    let definition = try ExperimentDefinition(yaml: "dataset: acdc\nstrategies: [random, ours]\nseeds: [0, 1]\n")
    let html = HTMLReport.html(ReportFixtures.summary, definitionYAML: definition.yaml())
    let (ok, counter, error) = parse(html)
    #expect(ok, "\(error)")
    #expect(counter.counts["svg"] == 1 && counter.counts["path"] == 4)
    #expect(counter.counts["h3"] == 2)
    #expect(counter.counts["table"] == 5)  // paired differences, AUBC with intervals, AUC, two per-round
    #expect(counter.counts["script"] == nil && counter.counts["link"] == nil && counter.counts["img"] == nil)
    #expect(
      !html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"))
    #expect(html.contains("acdc &lt;full&gt;"))
    #expect(html.contains("0.6500 ± 0.0707"))
    #expect(html.contains("dataset: &quot;acdc&quot;"))
  }
}
