// Round records as storage keeps them: the current layout round-trips, a layout-1 record (no schema, no encoder)
// migrates, a newer layout or a damaged payload is an error naming the round, and a record without models is
// accepted only for a round that is merely selected.
import Foundation
import Messaging
import Orchestration
import Testing

@Suite struct RoundRecordTests {
  static let member = #"{"validationDice":0.5,"testClassDice":[0.4,0.6],"testClassHD95":[3,4],"testVolumeDice":[]}"#

  static func json(schema: Int?, encoder: String?, checkpoints: String = "[9]", members: String = "[\(member)]")
    -> String
  {
    var fields = [
      #""strategy":"ours""#, #""seed":3"#, #""round":1"#, #""labeled":[1,2,3]"#, #""picks":[3]"#,
      #""selectedWith":"ours""#, #""cumulativeFraction":0.1"#, #""costSeconds":12.5"#, #""labeledPixels":70"#,
      #""checkpoints":\#(checkpoints)"#, #""members":\#(members)"#
    ]
    if let schema { fields.append(#""schema":\#(schema)"#) }
    if let encoder { fields.append(#""encoder":\#(encoder)"#) }
    return "{" + fields.joined(separator: ",") + "}"
  }

  @Test func theCurrentLayoutRoundTrips() throws {
    let record = try RoundRecord.decode(Self.json(schema: 2, encoder: "41"), round: "r")
    #expect(record.schema == RoundRecord.currentSchema && record.encoder == 41 && record.checkpoints == [9])
    #expect(try RoundRecord.decode(record.json(), round: "r") == record)
  }

  @Test func aLayoutOneRecordWithoutSchemaOrEncoderMigrates() throws {
    let record = try RoundRecord.decode(Self.json(schema: nil, encoder: nil), round: "r")
    #expect(record.schema == 2 && record.encoder == nil)
    #expect(record.labeled == [1, 2, 3] && record.members.first?.testClassDice == [0.4, 0.6])
    #expect(try record.json().contains(#""schema":2"#))
  }

  @Test func aNewerLayoutIsRefusedAsAPreconditionNamingTheRound() throws {
    let error = try #require(throws: ServiceError.self) {
      try RoundRecord.decode(Self.json(schema: 3, encoder: "1"), round: "experiment 4 ours/seed3 round 1")
    }
    #expect(error.code == .failedPrecondition)
    #expect("\(error)".contains("experiment 4 ours/seed3 round 1") && "\(error)".contains("layout 3"))
  }

  @Test(arguments: ["not json", "[1,2]", #"{"schema":2,"strategy":"ours"}"#, #"{"schema":0}"#])
  func aDamagedPayloadIsAnErrorNotADrop(_ payload: String) throws {
    let error = try #require(throws: ServiceError.self) { try RoundRecord.decode(payload, round: "round r7") }
    #expect(error.code == .internal && "\(error)".contains("round r7"))
  }

  @Test func aRecordWithoutModelsIsValidOnlyWhileSelected() throws {
    let selected = Self.json(schema: 2, encoder: "null", checkpoints: "[]", members: "[]")
    #expect(try RoundRecord.decode(selected, state: .selected, round: "r").checkpoints.isEmpty)
    for state in [StoredRound.State.trained, .done] {
      #expect(throws: ServiceError.self) { try RoundRecord.decode(selected, state: state, round: "r") }
    }
    let mismatched = Self.json(schema: 2, encoder: "null", checkpoints: "[1,2]")
    let error = try #require(throws: ServiceError.self) { try RoundRecord.decode(mismatched, round: "r") }
    #expect("\(error)".contains("2 model(s) but 1 member(s)"))
  }
}
