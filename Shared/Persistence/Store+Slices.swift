// Read queries over datasets and slices: listing with filters, and batch fetch of slice pixels.

import Foundation
import GRDB

extension Store {
  /// Every dataset, oldest first.
  public func datasets() throws -> [DatasetInfo] {
    try read("listing datasets") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.id, d.name, d.format, d.class_names, d.slice_height, d.slice_width, d.created_at, d.source_path,
                 (SELECT count(*) FROM slices s WHERE s.dataset_id = d.id)
          FROM datasets d ORDER BY d.id
          """
      ).map { row in
        let namesText: String = row[3]
        let names = (try? JSONDecoder().decode([String].self, from: Data(namesText.utf8))) ?? []
        return DatasetInfo(
          id: row[0], name: row[1], format: row[2], classNames: names, sliceHeight: row[4],
          sliceWidth: row[5], createdAt: Date(timeIntervalSince1970: row[6]), sourcePath: row[7],
          sliceCount: row[8])
      }
    }
  }

  /// The dataset with this name, or nil.
  public func dataset(named name: String) throws -> DatasetInfo? {
    try datasets().first { $0.name == name }
  }

  /// The slices of a dataset matching `filter`, in import order (patient, volume, position).
  public func slices(datasetId: Int64, filter: SliceFilter = SliceFilter()) throws -> [SliceInfo] {
    try read("listing slices of dataset \(datasetId)") { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM datasets WHERE id = ?", arguments: [datasetId]) != nil else {
        throw StoreError(.notFound, "dataset \(datasetId) does not exist; list datasets to see the ids")
      }
      var conditions = ["s.dataset_id = ?"]
      var arguments: StatementArguments = [datasetId]
      if let split = filter.split { conditions.append("s.split = ?"); arguments += [split.rawValue] }
      if let key = filter.patientKey { conditions.append("p.key = ?"); arguments += [key] }
      var outer: [String] = []
      if let labeled = filter.labeled { outer.append(labeled ? "latest_kind IS NOT NULL" : "latest_kind IS NULL") }
      if let kind = filter.kind { outer.append("latest_kind = ?"); arguments += [kind.rawValue] }
      let sql = """
        SELECT * FROM (
          SELECT s.id, s.volume_id, s.patient_id, p.key, v.key, s.phase, s.position, s.count_in_volume, s.split,
                 (SELECT a.kind FROM annotations a WHERE a.slice_id = s.id ORDER BY a.id DESC LIMIT 1) AS latest_kind
          FROM slices s JOIN patients p ON p.id = s.patient_id JOIN volumes v ON v.id = s.volume_id
          WHERE \(conditions.joined(separator: " AND ")))
        \(outer.isEmpty ? "" : "WHERE " + outer.joined(separator: " AND "))
        ORDER BY id
        """
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
        SliceInfo(
          id: row[0], volumeId: row[1], patientId: row[2], patientKey: row[3], volumeKey: row[4],
          phase: row[5], position: row[6], countInVolume: row[7], split: Split(rawValue: row[8]) ?? .train,
          labeledKind: (row[9] as String?).flatMap(AnnotationKind.init(rawValue:)))
      }
    }
  }

  /// The pixels of the given slices, in the order of `ids`, fetched with one query.
  ///
  /// Throws `.notFound` naming the ids that have no image.
  public func images(ids: [Int64]) throws -> [SliceImage] {
    if ids.isEmpty { return [] }
    let found: [Int64: SliceImage] = try read("fetching \(ids.count) slice images") { db in
      var found: [Int64: SliceImage] = [:]
      found.reserveCapacity(ids.count)
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT slice_id, height, width, pixels FROM images
          WHERE slice_id IN (SELECT value FROM json_each(?))
          """, arguments: [Validation.jsonArray(ids)])
      while let row = try cursor.next() {
        let id: Int64 = row[0]
        let pixels = try row.withUnsafeData(atIndex: 3) { data in data.flatMap(BlobCoding.floats) } ?? []
        found[id] = SliceImage(id: id, height: row[1], width: row[2], pixels: pixels)
      }
      return found
    }
    let missing = ids.filter { found[$0] == nil }
    if !missing.isEmpty {
      throw StoreError(
        .notFound, "slices \(Validation.idList(missing)) have no image; list the dataset's slices to get valid ids")
    }
    return ids.map { found[$0]! }
  }
}
