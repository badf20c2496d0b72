// The whole comparison aggregated over seeds: the content of `summary.json`.

import Foundation

/// Every strategy of one experiment, aggregated over seeds.
public struct ExperimentSummary: Codable, Sendable, Hashable {
  /// Experiment name.
  public var experiment: String
  /// Names of the foreground classes, in the order of `classDice`.
  public var classNames: [String]
  /// Strategies in the requested order.
  public var strategies: [StrategySummary]
  /// Paired differences against the reference strategy, AUBC and Dice bands with bootstrap
  /// intervals; `nil` in summaries written before it existed.
  public var comparison: PairedComparison?

  /// Aggregates `results`. Strategies follow `order` (labels); strategies absent from `order`
  /// follow in first-appearance order. `classNames` defaults to `class1`, `class2`, …. A result
  /// without test metrics (an empty test split) or with another class count reports NaN (`n/a`).
  public init(
    experiment: String, results: [RoundResult], order: [String] = [], classNames: [String]? = nil,
    bootstrap: Bootstrap = Bootstrap()
  ) {
    var labels = order.filter { label in results.contains { $0.strategy == label } }
    for result in results where !labels.contains(result.strategy) { labels.append(result.strategy) }
    let classes = classNames?.count ?? results.map(\.classDice.count).max() ?? 0
    let results = results.map { $0.withClasses(classes) }
    self.experiment = experiment
    self.classNames = classNames ?? (0..<classes).map { "class\($0 + 1)" }
    strategies = labels.map { label in
      StrategySummary(strategy: label, results: results.filter { $0.strategy == label })
    }
    comparison = PairedComparison(results: results, strategies: labels, bootstrap: bootstrap)
  }

  /// `summary.json`: pretty-printed, sorted keys; a missing std is omitted, a NaN is `"nan"`.
  public func json() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    // Encoding plain structs of numbers and strings with a non-conforming-float strategy cannot fail.
    return (try? encoder.encode(self)) ?? Data()
  }

  /// Reads `summary.json` back.
  public static func decode(json data: Data) throws -> ExperimentSummary {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(ExperimentSummary.self, from: data)
  }
}
