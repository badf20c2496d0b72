// What the gateway persists after each finished round (Round.payload_json): enough to resume a run
// from its labeled set and to rebuild the reports.
import Experiments
import Foundation
import Messaging

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
    RoundResult(
      strategy: strategy, seed: seed, round: round, labeledSlices: labeled.count,
      cumulativeFraction: cumulativeFraction,
      cost: AnnotationCost(slices: Double(labeled.count), pixels: Double(labeledPixels), seconds: costSeconds),
      members: members)
  }

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// The record stored as `json`; a payload that does not decode is an error naming the round, never a silent
  /// drop (a dropped round would vanish from status and reports, and resume would run it again).
  static func decode(_ json: String, round: String) throws -> RoundRecord {
    let record: RoundRecord
    do { record = try JSONDecoder().decode(RoundRecord.self, from: Data(json.utf8)) } catch {
      throw ServiceError(
        .internal,
        "the stored record of \(round) does not decode (\(error)); it was written by an incompatible gateway or damaged: delete the experiment's rounds or run it again"
      )
    }
    if let problem = record.problem {
      throw ServiceError(
        .internal,
        "the stored record of \(round) is damaged (\(problem)); delete the experiment's rounds or run it again")
    }
    return record
  }

  /// What makes a decoded record unusable for reports and resume (a gateway never writes one like it).
  var problem: String? {
    if round < 0 { return "round \(round) is negative" }
    if members.isEmpty { return "it has no ensemble member's metrics" }
    if let member = members.first(where: { $0.testClassDice.count != $0.testClassHD95.count }) {
      return
        "a member has \(member.testClassDice.count) class Dice values but \(member.testClassHD95.count) HD95 values"
    }
    if Set(members.map(\.testClassDice.count)).count > 1 { return "its members report different numbers of classes" }
    if !(0...1.000001).contains(cumulativeFraction) {
      return "its labeled fraction \(cumulativeFraction) is not between 0 and 1"
    }
    return nil
  }
}
