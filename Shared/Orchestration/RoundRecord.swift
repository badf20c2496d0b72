// What the gateway persists for each round (Round.payload_json): enough to resume a run from its labeled set
// and to rebuild the reports. The JSON carries a schema number; older layouts are migrated when read, and a
// payload that cannot be read is an error naming the round, never a silent drop.
import Experiments
import Foundation
import Messaging

public struct RoundRecord: Codable, Sendable, Hashable {
  /// The layout this gateway writes. 1: records written before layouts were numbered (no `schema` key, and no
  /// `encoder` before encoders were trained per seed). 2: `schema` and `encoder` present (`encoder` may be null).
  public static let currentSchema = 2

  public var schema: Int = RoundRecord.currentSchema
  public var strategy: String
  public var seed: UInt64
  public var round: Int
  /// Every slice labeled after this round, in labeling order.
  public var labeled: [Int64]
  public var picks: [Int64]
  /// The strategy that picked this round's slices ("random" for a random initial round).
  public var selectedWith: String
  public var cumulativeFraction: Double
  public var costSeconds: Double
  public var labeledPixels: Int64
  /// One model per ensemble member; empty while the round is only selected.
  public var checkpoints: [Int64]
  /// The contrastive encoder whose embeddings the run's selections used (nil for strategies without one).
  public var encoder: Int64?
  /// One entry per ensemble member; empty while the round is only selected.
  public var members: [MemberMetrics]

  public init(
    strategy: String, seed: UInt64, round: Int, labeled: [Int64], picks: [Int64], selectedWith: String,
    cumulativeFraction: Double, costSeconds: Double, labeledPixels: Int64, checkpoints: [Int64], encoder: Int64?,
    members: [MemberMetrics]
  ) {
    self.strategy = strategy
    self.seed = seed
    self.round = round
    self.labeled = labeled
    self.picks = picks
    self.selectedWith = selectedWith
    self.cumulativeFraction = cumulativeFraction
    self.costSeconds = costSeconds
    self.labeledPixels = labeledPixels
    self.checkpoints = checkpoints
    self.encoder = encoder
    self.members = members
  }

  public var result: RoundResult {
    RoundResult(
      strategy: strategy, seed: seed, round: round, labeledSlices: labeled.count,
      cumulativeFraction: cumulativeFraction,
      cost: AnnotationCost(slices: Double(labeled.count), pixels: Double(labeledPixels), seconds: costSeconds),
      members: members)
  }

  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var current = self
    current.schema = Self.currentSchema
    return String(decoding: try encoder.encode(current), as: UTF8.self)
  }

  /// The record stored as `json` for a round in `state` (`round` names it in errors), migrated to the current
  /// layout. Throws for a payload that does not parse, a layout newer than this gateway reads, or a record no
  /// gateway could have written (a dropped round would vanish from status and reports, and resume would run it again).
  public static func decode(_ json: String, state: StoredRound.State = .done, round: String) throws -> RoundRecord {
    let record: RoundRecord
    do {
      record = try JSONDecoder().decode(RoundRecord.self, from: try migrated(json))
    } catch let error as ServiceError {
      throw ServiceError(error.code, "the stored record of \(round): \(error.message)")
    } catch {
      throw ServiceError(
        .internal,
        "the stored record of \(round) does not decode (\(error)); it was written by an incompatible gateway or damaged: delete the experiment's rounds or run it again"
      )
    }
    if let problem = record.problem(in: state) {
      throw ServiceError(
        .internal,
        "the stored record of \(round) is damaged (\(problem)); delete the experiment's rounds or run it again")
    }
    return record
  }

  /// `json` rewritten to the current layout, one migration per schema step.
  static func migrated(_ json: String) throws -> Data {
    let data = Data(json.utf8)
    guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw ServiceError(.internal, "the payload is not a JSON object; the storage database needs repair")
    }
    var schema = (object["schema"] as? NSNumber)?.intValue ?? 1
    guard schema <= currentSchema else {
      throw ServiceError(
        .failedPrecondition,
        "it has layout \(schema), and this gateway reads layouts up to \(currentSchema); run a gateway at least as new as the one that wrote it"
      )
    }
    guard schema >= 1 else { throw ServiceError(.internal, "its layout number \(schema) is not a valid one") }
    if schema == currentSchema { return data }
    while schema < currentSchema {
      migrations[schema]!(&object)
      schema += 1
      object["schema"] = schema
    }
    return try JSONSerialization.data(withJSONObject: object)
  }

  /// Rewrites a layout-`n` object as layout `n + 1`.
  nonisolated(unsafe) static let migrations: [Int: (inout [String: Any]) -> Void] = [
    // 1 → 2: records from before per-seed encoders name none (null: a resumed run trains its seed's encoder).
    1: { object in if object["encoder"] == nil { object["encoder"] = NSNull() } }
  ]

  /// What makes a decoded record unusable for reports and resume in `state` (a gateway never writes one like it).
  func problem(in state: StoredRound.State) -> String? {
    if round < 0 { return "round \(round) is negative" }
    if !(0...1.000001).contains(cumulativeFraction) {
      return "its labeled fraction \(cumulativeFraction) is not between 0 and 1"
    }
    guard state != .selected else { return nil }
    if members.isEmpty { return "it has no ensemble member's metrics" }
    if checkpoints.count != members.count {
      return "it has \(checkpoints.count) model(s) but \(members.count) member(s)' metrics"
    }
    if let member = members.first(where: { $0.testClassDice.count != $0.testClassHD95.count }) {
      return
        "a member has \(member.testClassDice.count) class Dice values but \(member.testClassHD95.count) HD95 values"
    }
    if Set(members.map(\.testClassDice.count)).count > 1 { return "its members report different numbers of classes" }
    return nil
  }
}
