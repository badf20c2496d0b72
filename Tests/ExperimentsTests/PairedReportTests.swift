// The paired comparison as it reaches the reader: summary.json fields, paired.csv, the terminal
// tables, the HTML bands; and reports of empty test splits, NaN metrics and older records.

import Foundation
import Testing
@testable import Experiments

@Suite struct PairedReportTests {
  typealias F = PairedFixtures

  /// random, ours (+0.05 everywhere) and entropy (−0.02 everywhere), 3 seeds, 3 rounds, 4 volumes.
  static let summary: ExperimentSummary = {
    let dice = F.noise(seeds: 3, rounds: 3, volumes: 4)
    let results =
      F.results("ours", F.shifted(dice, by: 0.05)) + F.results("random", dice)
      + F.results("entropy", F.shifted(dice, by: -0.02))
    return ExperimentSummary(experiment: "phantom", results: results, order: ["ours", "random", "entropy"])
  }()

  @Test func summaryJSONHasTheComparisonFields() throws {
    let data = Self.summary.json()
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let comparison = try #require(root["comparison"] as? [String: Any])
    #expect(comparison["reference"] as? String == "random")
    let bootstrap = try #require(comparison["bootstrap"] as? [String: Any])
    #expect(
      bootstrap["resamples"] as? Int == 2000 && bootstrap["confidence"] as? Double == 0.95 && bootstrap["seed"] != nil)
    let differences = try #require(comparison["differences"] as? [[String: Any]])
    #expect(differences.count == 2 * 3)
    #expect(Set(differences[0].keys) == ["strategy", "reference", "round", "cumulativeFraction", "difference"])
    let difference = try #require(differences[0]["difference"] as? [String: Any])
    #expect(Set(difference.keys) == ["value", "ciLow", "ciHigh", "seeds", "volumes"])
    #expect(
      differences[0]["strategy"] as? String == "ours" && abs((difference["value"] as? Double ?? 0) - 0.05) < 1e-12)
    let aubc = try #require(comparison["aubc"] as? [[String: Any]])
    #expect(aubc.map { $0["strategy"] as? String } == ["ours", "random", "entropy"])
    #expect(aubc[0]["difference"] != nil && aubc[1]["difference"] == nil && aubc[0]["aubc"] != nil)
    let bands = try #require(comparison["bands"] as? [[String: Any]])
    #expect(bands.count == 3 && (bands[0]["points"] as? [[String: Any]])?.first?["dice"] != nil)
    #expect(try ExperimentSummary.decode(json: data) == Self.summary)
  }

  @Test func summariesWithoutAComparisonStillDecode() throws {
    var old = try #require(try JSONSerialization.jsonObject(with: ReportFixtures.summary.json()) as? [String: Any])
    old["comparison"] = nil
    let summary = try ExperimentSummary.decode(json: try JSONSerialization.data(withJSONObject: old))
    #expect(summary.comparison == nil && summary.strategies.count == 2)
    #expect(PairedTable.text(summary).contains("not available"))
  }

  @Test func pairedCSVHasOneRowPerStrategyAndBudgetThenAUBC() throws {
    let csv = PairedCSV.csv(try #require(Self.summary.comparison))
    let lines = csv.split(separator: "\n").map(String.init)
    #expect(
      lines[0] == "metric,strategy,reference,round,cumulative_fraction,difference,ci_low,ci_high,n_seeds,n_volumes")
    #expect(lines.count == 1 + 2 * 3 + 2)
    let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    func close(_ field: String, _ value: Double) -> Bool { abs((Double(field) ?? .nan) - value) < 1e-9 }
    #expect(rows[0][..<4] == ["dice", "ours", "random", "0"] && close(rows[0][4], 0.1) && close(rows[0][5], 0.05))
    #expect(close(rows[0][6], 0.05) && close(rows[0][7], 0.05) && rows[0][8...] == ["3", "4"])
    #expect(rows[3][..<4] == ["dice", "entropy", "random", "0"] && close(rows[3][5], -0.02))
    #expect(rows[6][..<5] == ["aubc", "ours", "random", "", ""] && close(rows[6][5], 0.05))
    #expect(rows[7][..<3] == ["aubc", "entropy", "random"] && close(rows[7][5], -0.02))
    #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 10 })
  }

  @Test func terminalTablesFitIn100Columns() {
    let text = PairedTable.text(Self.summary)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "Paired difference vs random [95 % CI] of test Dice")
    #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines.map(\.count).max() ?? 0) columns")
    #expect(
      lines.contains { $0.hasPrefix("10.0% (10)") && $0.contains("ours") && $0.contains("+0.0500 [+0.0500, +0.0500]") })
    #expect(lines.contains { $0.hasPrefix("random ") && $0.contains(" – ") })  // the reference's AUBC row
    #expect(lines.contains { $0.hasPrefix("entropy") && $0.contains("-0.0200 [-0.0200, -0.0200]") })
    #expect(!text.contains("seeds only"))
    // Older results without per-volume Dice: the footnote says only seeds were resampled.
    #expect(PairedTable.text(ReportFixtures.summary).contains("resamples seeds only"))
    let old = PairedTable.text(ReportFixtures.summary).split(separator: "\n")
    #expect(old.allSatisfy { $0.count <= 100 }, "\(old.max { $0.count < $1.count } ?? "")")
  }

  @Test func htmlHasOneBandPathPerStrategy() {
    let html = HTMLReport.html(Self.summary)
    let bands = html.components(separatedBy: "<path class=\"band\"").count - 1
    #expect(bands == 3)
    #expect(html.contains("Paired difference vs random") && html.contains("+0.0500 [+0.0500, +0.0500]"))
  }

  // MARK: - Empty and NaN

  @Test func emptyTestSplitGivesAReportOfNA() {
    // No test volumes: the trainer's test metrics are empty, the dataset still names 4 classes.
    let members = [MemberMetrics(validationDice: 0.5, testClassDice: [], testClassHD95: [])]
    let results = ["random", "ours"].flatMap { strategy in
      (0..<2).map { round in
        RoundResult(
          strategy: strategy, seed: 0, round: round, labeledSlices: 10, cumulativeFraction: 0.1 * Double(round + 1),
          cost: AnnotationCost(slices: 10, pixels: 100, seconds: 1), members: members)
      }
    }
    let summary = ExperimentSummary(experiment: "empty", results: results, classNames: ["a", "b", "c", "d"])
    #expect(summary.strategies[0].rounds[0].classDice.count == 4)
    #expect(ResultsTable.text(summary).contains("n/a"))
    #expect(PairedTable.text(summary).contains("n/a"))
    #expect(
      summary.comparison?.differences.allSatisfy { $0.difference.seeds == 0 && $0.difference.value.isNaN } == true)
    #expect(HTMLReport.html(summary).contains("n/a"))
    #expect(ResultsCSV.csv(results: results, classNames: ["a", "b", "c", "d"]).contains(",nan,nan,nan,nan"))
    #expect(PairedCSV.csv(summary.comparison!).contains("nan,nan,nan,0,0"))
    #expect(String(decoding: summary.json(), as: UTF8.self).contains("\"nan\""))
  }

  @Test func nanMetricsAreLeftOutOrNA() {
    let dice = F.noise(seeds: 2, rounds: 2, volumes: 3)
    var broken = F.results("ours", dice)
    broken[0].volumeDice[1] = .nan  // seed 0, round 0: no per-volume pairing, its class mean is NaN
    broken[0].classDice = [.nan]
    let summary = ExperimentSummary(experiment: "nan", results: F.results("random", dice) + broken)
    let first = summary.comparison!.differences[0].difference
    #expect(first.seeds == 1 && first.value.isFinite)  // seed 0 left out at round 0
    #expect(summary.comparison!.differences[1].difference.seeds == 2)
    #expect(ResultsTable.text(summary).contains("n/a"))  // the mean ± std of round 0 over seeds
    #expect(!PairedTable.text(summary).isEmpty && !HTMLReport.html(summary).isEmpty)
  }

  @Test func olderRoundRecordsDecodeWithoutVolumeDice() throws {
    let json = #"{"validationDice": 0.5, "testClassDice": [0.6], "testClassHD95": [3]}"#
    let member = try JSONDecoder().decode(MemberMetrics.self, from: Data(json.utf8))
    #expect(member.testVolumeDice.isEmpty && member.testClassDice == [0.6])
    let current = MemberMetrics(
      validationDice: 0.5, testClassDice: [0.6], testClassHD95: [3], testVolumeDice: [0.5, 0.7])
    #expect(try JSONDecoder().decode(MemberMetrics.self, from: JSONEncoder().encode(current)) == current)
    let result = RoundResult(
      strategy: "s", seed: 0, round: 0, labeledSlices: 1, cumulativeFraction: 0.1,
      cost: AnnotationCost(slices: 1, pixels: 1, seconds: 1), members: [member, current])
    #expect(result.volumeDice.isEmpty)  // the first member is the best (first on ties)
  }
}
