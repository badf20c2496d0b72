// The ranked slices a round selected for annotation.

import Foundation
import GRDB

extension Store {
  /// Replaces the selections of a round with `selections` (ranks and slices unique).
  public func putSelections(roundId: Int64, _ selections: [Selection], actor: String) throws {
    if Set(selections.map(\.rank)).count != selections.count {
      throw StoreError(.invalidInput, "selections of round \(roundId) repeat a rank; give each pick its own rank")
    }
    if Set(selections.map(\.sliceId)).count != selections.count {
      throw StoreError(.invalidInput, "selections of round \(roundId) repeat a slice; select each slice once")
    }
    try write("storing selections of round \(roundId)") { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM rounds WHERE id = ?", arguments: [roundId]) != nil else {
        throw StoreError(.notFound, "round \(roundId) does not exist; create the round before its selections")
      }
      let ids = selections.map(\.sliceId)
      let known = Set(
        try Int64.fetchAll(
          db, sql: "SELECT id FROM slices WHERE id IN (SELECT value FROM json_each(?))",
          arguments: [Validation.jsonArray(ids)]))
      let missing = ids.filter { !known.contains($0) }
      if !missing.isEmpty {
        throw StoreError(
          .notFound, "selected slices \(Validation.idList(missing)) do not exist; select from the store's slices")
      }
      try db.execute(sql: "DELETE FROM selections WHERE round_id = ?", arguments: [roundId])
      let insert = try db.cachedStatement(
        sql: "INSERT INTO selections (round_id, rank, slice_id, score) VALUES (?, ?, ?, ?)")
      for s in selections {
        try insert.execute(arguments: [roundId, s.rank, s.sliceId, s.score])
      }
      try Store.audit(
        db, actor: actor, action: "selections.put", entity: "round:\(roundId)", detail: "count=\(selections.count)")
    }
  }

  /// The selections of a round, by rank.
  public func selections(roundId: Int64) throws -> [Selection] {
    try read("fetching selections of round \(roundId)") { db in
      try Row.fetchAll(
        db, sql: "SELECT rank, slice_id, score FROM selections WHERE round_id = ? ORDER BY rank",
        arguments: [roundId]
      ).map { Selection(rank: $0[0], sliceId: $0[1], score: $0[2]) }
    }
  }
}
