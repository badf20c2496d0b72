// What the gateway persists after each finished round (Round.payload_json): enough to resume a run
// from its labeled set and to rebuild the reports.
import Experiments
import Foundation

struct RoundRecord: Codable, Sendable {
  var strategy: String
  var seed: UInt64
  var round: Int
  /// Every slice labeled after this round, in labeling order.
  var labeled: [Int64]
  var picks: [Int64]
  var selectedWith: String
  var cumulativeFraction: Double
  var costSeconds: Double
  var labeledPixels: Int64
  var checkpoints: [Int64]
  /// The contrastive encoder whose embeddings the run's selections used (nil for strategies without one, and in
  /// records written before encoders were trained per seed); a resumed run reuses it instead of training again.
  var encoder: Int64?
  var members: [MemberMetrics]

  var result: RoundResult {
    RoundResult(strategy: strategy, seed: seed, round: round, labeledSlices: labeled.count, cumulativeFraction: cumulativeFraction,
                cost: AnnotationCost(slices: Double(labeled.count), pixels: Double(labeledPixels), seconds: costSeconds),
                members: members)
  }

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  static func decode(_ json: String) -> RoundRecord? {
    try? JSONDecoder().decode(RoundRecord.self, from: Data(json.utf8))
  }
}
