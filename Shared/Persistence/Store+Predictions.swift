// Per-model class probabilities of slices (what the trainer's Predict writes and the selector's
// uncertainty strategies read), stored as float16 to halve the space, like the published code.

import Foundation
import GRDB

extension Store {
  /// Stores (or replaces) predictions; every checkpoint and slice must exist, and every prediction
  /// must have `classes × height × width` finite probabilities in [0, 1] and passes ≥ 1.
  public func putPredictions(_ predictions: [SlicePrediction], actor: String) throws {
    guard !predictions.isEmpty else { return }
    for p in predictions {
      let what = "prediction of slice \(p.sliceId) by checkpoint \(p.checkpointId)"
      guard p.passes >= 1, p.classes >= 1, p.height >= 1, p.width >= 1 else {
        throw StoreError(
          .invalidInput,
          "\(what) has passes \(p.passes) and shape \(p.classes)×\(p.height)×\(p.width); all must be at least 1")
      }
      guard p.probabilities.count == p.classes * p.height * p.width else {
        throw StoreError(
          .invalidInput,
          "\(what) has \(p.probabilities.count) probabilities, expected \(p.classes)×\(p.height)×\(p.width)")
      }
      guard p.expectedEntropy.isFinite, p.probabilities.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1.0001 }) else {
        throw StoreError(
          .invalidInput,
          "\(what) holds a value that is not a probability (NaN, infinite or outside [0, 1]); send softmax outputs")
      }
    }
    try write("storing \(predictions.count) predictions") { db in
      let checkpoints = Array(Set(predictions.map(\.checkpointId))).sorted()
      let knownCheckpoints = Set(
        try Int64.fetchAll(
          db, sql: "SELECT id FROM checkpoints WHERE id IN (SELECT value FROM json_each(?))",
          arguments: [Validation.jsonArray(checkpoints)]))
      if let missing = checkpoints.first(where: { !knownCheckpoints.contains($0) }) {
        throw StoreError(.notFound, "checkpoint \(missing) does not exist; store the model before its predictions")
      }
      let ids = Array(Set(predictions.map(\.sliceId))).sorted()
      let known = Set(
        try Int64.fetchAll(
          db, sql: "SELECT id FROM slices WHERE id IN (SELECT value FROM json_each(?))",
          arguments: [Validation.jsonArray(ids)]))
      let missing = ids.filter { !known.contains($0) }
      if !missing.isEmpty {
        throw StoreError(
          .notFound, "slices \(Validation.idList(missing)) do not exist; predict only slices listed by the store")
      }
      let insert = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO predictions (checkpoint_id, slice_id, passes, classes, height, width, probabilities, expected_entropy)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """)
      for p in predictions {
        try insert.execute(arguments: [
          p.checkpointId, p.sliceId, p.passes, p.classes, p.height, p.width,
          BlobCoding.halfData(p.probabilities), p.expectedEntropy
        ])
      }
      try Store.audit(
        db, actor: actor, action: "predictions.put", entity: "checkpoints:\(Validation.idList(checkpoints))",
        detail: "count=\(predictions.count)")
    }
  }

  /// The stored predictions of `checkpointIds` for `sliceIds` (all slices when empty), ordered by
  /// checkpoint then slice id; a pair that was never predicted is simply absent.
  public func predictions(checkpointIds: [Int64], sliceIds: [Int64] = []) throws -> [SlicePrediction] {
    try read("fetching predictions of checkpoints \(Validation.idList(checkpointIds))") { db in
      var sql = """
        SELECT checkpoint_id, slice_id, passes, classes, height, width, probabilities, expected_entropy FROM predictions
        WHERE checkpoint_id IN (SELECT value FROM json_each(?))
        """
      var arguments: StatementArguments = [Validation.jsonArray(checkpointIds)]
      if !sliceIds.isEmpty {
        sql += " AND slice_id IN (SELECT value FROM json_each(?))"
        arguments += [Validation.jsonArray(sliceIds)]
      }
      sql += " ORDER BY checkpoint_id, slice_id"
      var result: [SlicePrediction] = []
      let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
      while let row = try rows.next() {
        let classes: Int = row[3], height: Int = row[4], width: Int = row[5]
        let values = try row.withUnsafeData(atIndex: 6) { $0.map(BlobCoding.floatsFromHalf) } ?? []
        let checkpoint: Int64 = row[0], slice: Int64 = row[1]
        guard values.count == classes * height * width else {
          throw StoreError(
            .database,
            "prediction of slice \(slice) by checkpoint \(checkpoint) holds \(values.count) values, not \(classes)×\(height)×\(width); predict it again"
          )
        }
        result.append(
          SlicePrediction(
            checkpointId: checkpoint, sliceId: slice, passes: row[2], classes: classes, height: height,
            width: width, probabilities: values, expectedEntropy: row[7]))
      }
      return result
    }
  }
}
