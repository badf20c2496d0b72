// Model checkpoints (opaque blobs with JSON metadata) and the per-slice embeddings of an encoder.

import Foundation
import GRDB

extension Store {
  // MARK: - Checkpoints

  /// Stores a checkpoint blob and returns its metadata (with the new id).
  @discardableResult
  public func putCheckpoint(
    kind: String, experimentId: Int64? = nil, roundId: Int64? = nil,
    metadataJSON: String = "{}", data: Data, actor: String
  ) throws -> CheckpointInfo {
    try Validation.nonEmpty(kind, "checkpoint kind")
    try Validation.json(metadataJSON, "metadata of the \(kind) checkpoint")
    return try write("storing a \(kind) checkpoint") { db in
      if let experimentId,
        try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE id = ?", arguments: [experimentId]) == nil
      {
        throw StoreError(.notFound, "experiment \(experimentId) does not exist; create it first or pass no experiment")
      }
      if let roundId, try Bool.fetchOne(db, sql: "SELECT 1 FROM rounds WHERE id = ?", arguments: [roundId]) == nil {
        throw StoreError(.notFound, "round \(roundId) does not exist; create it first or pass no round")
      }
      try db.execute(
        sql: """
          INSERT INTO checkpoints (kind, experiment_id, round_id, metadata, blob, created_at) VALUES (?, ?, ?, ?, ?, ?)
          """, arguments: [kind, experimentId, roundId, metadataJSON, data, Date().timeIntervalSince1970])
      let id = db.lastInsertedRowID
      try Store.audit(
        db, actor: actor, action: "checkpoint.put", entity: "checkpoint:\(id)",
        detail: "kind=\(kind) bytes=\(data.count)")
      return try Store.checkpointInfos(db, where: "id = ?", [id])[0]
    }
  }

  /// A checkpoint's metadata and bytes, or nil.
  public func checkpoint(id: Int64) throws -> (info: CheckpointInfo, data: Data)? {
    try read("fetching checkpoint \(id)") { db in
      guard let info = try Store.checkpointInfos(db, where: "id = ?", [id]).first,
        let data = try Data.fetchOne(db, sql: "SELECT blob FROM checkpoints WHERE id = ?", arguments: [id])
      else { return nil }
      return (info, data)
    }
  }

  /// Checkpoint metadata, newest last, optionally filtered by kind, experiment and round.
  public func checkpoints(kind: String? = nil, experimentId: Int64? = nil, roundId: Int64? = nil) throws
    -> [CheckpointInfo]
  {
    try read("listing checkpoints") { db in
      try Store.checkpointInfos(
        db,
        where: """
          (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR experiment_id = ?2) AND (?3 IS NULL OR round_id = ?3)
          """, [kind, experimentId, roundId])
    }
  }

  private static func checkpointInfos(
    _ db: Database, where condition: String,
    _ arguments: StatementArguments
  ) throws -> [CheckpointInfo] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT id, kind, experiment_id, round_id, metadata, length(blob), created_at FROM checkpoints
        WHERE \(condition) ORDER BY id
        """, arguments: arguments
    ).map { row in
      CheckpointInfo(
        id: row[0], kind: row[1], experimentId: row[2], roundId: row[3], metadataJSON: row[4],
        byteCount: row[5], createdAt: Date(timeIntervalSince1970: row[6]))
    }
  }

  // MARK: - Embeddings

  /// Stores (or replaces) embeddings of slices computed by the encoder checkpoint `checkpointId`.
  /// All vectors must have the same, non-zero length, also as those already stored for the encoder.
  public func putEmbeddings(checkpointId: Int64, _ vectors: [(sliceId: Int64, vector: [Float])], actor: String) throws {
    guard let dimension = vectors.first?.vector.count else { return }
    if let bad = vectors.first(where: { $0.vector.count != dimension || $0.vector.isEmpty }) {
      throw StoreError(
        .invalidInput,
        "embedding of slice \(bad.sliceId) has length \(bad.vector.count), expected \(dimension) like the first of the batch; all vectors of an encoder need one non-zero length"
      )
    }
    try write("storing \(vectors.count) embeddings of checkpoint \(checkpointId)") { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM checkpoints WHERE id = ?", arguments: [checkpointId]) != nil
      else {
        throw StoreError(
          .notFound, "checkpoint \(checkpointId) does not exist; store the encoder checkpoint before its embeddings")
      }
      if let stored = try Int.fetchOne(
        db, sql: "SELECT length(vector) / 4 FROM embeddings WHERE checkpoint_id = ? LIMIT 1",
        arguments: [checkpointId]), stored != dimension
      {
        throw StoreError(
          .invalidInput,
          "checkpoint \(checkpointId) already has embeddings of length \(stored), not \(dimension); embed with the same encoder"
        )
      }
      let ids = vectors.map(\.sliceId)
      let known = Set(
        try Int64.fetchAll(
          db, sql: "SELECT id FROM slices WHERE id IN (SELECT value FROM json_each(?))",
          arguments: [Validation.jsonArray(ids)]))
      let missing = ids.filter { !known.contains($0) }
      if !missing.isEmpty {
        throw StoreError(
          .notFound, "slices \(Validation.idList(missing)) do not exist; embed only slices listed by the store")
      }
      let insert = try db.cachedStatement(
        sql: "INSERT OR REPLACE INTO embeddings (checkpoint_id, slice_id, vector) VALUES (?, ?, ?)")
      for (sliceId, vector) in vectors {
        try insert.execute(arguments: [checkpointId, sliceId, BlobCoding.data(vector)])
      }
      try Store.audit(
        db, actor: actor, action: "embeddings.put", entity: "checkpoint:\(checkpointId)",
        detail: "count=\(vectors.count) dimension=\(dimension)")
    }
  }

  /// Every embedding of an encoder checkpoint, keyed by slice id.
  public func embeddings(checkpointId: Int64) throws -> [Int64: [Float]] {
    let matrix = try embeddingMatrix(checkpointId: checkpointId)
    var result: [Int64: [Float]] = [:]
    result.reserveCapacity(matrix.sliceIds.count)
    for (row, id) in matrix.sliceIds.enumerated() {
      result[id] = Array(matrix.values[row * matrix.dimension..<(row + 1) * matrix.dimension])
    }
    return result
  }

  /// Every embedding of an encoder checkpoint as a dense matrix, rows in slice-id order.
  public func embeddingMatrix(checkpointId: Int64) throws -> EmbeddingMatrix {
    try read("fetching embeddings of checkpoint \(checkpointId)") { db in
      var ids: [Int64] = []
      var values: [Float] = []
      var dimension = 0
      let rows = try Row.fetchCursor(
        db, sql: "SELECT slice_id, vector FROM embeddings WHERE checkpoint_id = ? ORDER BY slice_id",
        arguments: [checkpointId])
      while let row = try rows.next() {
        let id: Int64 = row[0]
        let vector = try row.withUnsafeData(atIndex: 1) { $0.flatMap(BlobCoding.floats) } ?? []
        if ids.isEmpty { dimension = vector.count }
        guard vector.count == dimension else {
          throw StoreError(
            .database,
            "embedding of slice \(id) under checkpoint \(checkpointId) has length \(vector.count), not \(dimension); re-embed the dataset"
          )
        }
        ids.append(id)
        values.append(contentsOf: vector)
      }
      return EmbeddingMatrix(sliceIds: ids, dimension: dimension, values: values)
    }
  }
}
