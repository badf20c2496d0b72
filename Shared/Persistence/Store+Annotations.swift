// Labels: annotators' scribbles and masks, the simulated oracle that reveals ground truth,
// and the latest label of each slice.

import Foundation
import GRDB

extension Store {
  /// Records an annotation of a slice and returns it. Validates size (`H·W`) and values.
  @discardableResult
  public func putAnnotation(
    sliceId: Int64, kind: AnnotationKind, annotator: String, pixels: [UInt8],
    costSeconds: Double, actor: String
  ) throws -> Annotation {
    guard costSeconds.isFinite, costSeconds >= 0 else {
      throw StoreError(
        .invalidInput,
        "annotation of slice \(sliceId) has cost \(costSeconds) s; give a finite, non-negative number of seconds")
    }
    try Validation.nonEmpty(annotator, "annotator of slice \(sliceId)")
    return try write("storing an annotation of slice \(sliceId)") { db in
      let (height, width, classCount) = try Store.sliceShape(db, sliceId)
      guard pixels.count == height * width else {
        throw StoreError(
          .invalidInput,
          "annotation of slice \(sliceId) has \(pixels.count) pixels, expected \(height)×\(width) = \(height * width); send the whole slice"
        )
      }
      if let bad = Validation.firstBadLabel(pixels, classCount: classCount, allowIgnore: kind == .scribble) {
        let allowed =
          kind == .scribble ? "0..<\(classCount) or \(AnnotationKind.ignoreValue) (unlabeled)" : "0..<\(classCount)"
        throw StoreError(
          .invalidInput,
          "\(kind.rawValue) annotation of slice \(sliceId) has value \(pixels[bad]) at pixel \(bad); allowed values are \(allowed)"
        )
      }
      return try Store.insertAnnotation(
        db, sliceId: sliceId, kind: kind, annotator: annotator, pixels: pixels,
        costSeconds: costSeconds, actor: actor, action: "annotation.put")
    }
  }

  /// The simulated oracle: copies a slice's ground truth (full mask or scribble) into a new
  /// annotation charged by `costModel`, and returns it. Idempotent: when the slice's latest annotation
  /// is already this annotator's of this kind (a round repeated after a crash), that one is returned.
  @discardableResult
  public func reveal(
    sliceId: Int64, kind: AnnotationKind, annotator: String = "oracle",
    costModel: CostModel = CostModel(), actor: String
  ) throws -> Annotation {
    try write("revealing the \(kind.rawValue) label of slice \(sliceId)") { db in
      _ = try Store.sliceShape(db, sliceId)
      if let latest = try Row.fetchOne(
        db,
        sql: """
          SELECT \(Store.annotationColumns) WHERE a.slice_id = ? ORDER BY a.id DESC LIMIT 1
          """, arguments: [sliceId]
      ).map(Store.annotation), latest.annotator == annotator, latest.kind == kind {
        return latest
      }
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT mask, scribble FROM ground_truth WHERE slice_id = ?",
          arguments: [sliceId])
      else {
        throw StoreError(
          .notFound, "slice \(sliceId) has no ground truth; the oracle works only on datasets imported with labels")
      }
      let data: Data? = kind == .full ? row[0] : row[1]
      guard let data else {
        throw StoreError(
          .notFound,
          "slice \(sliceId) has no ground-truth scribble; reveal the full mask, or import the dataset with scribbles")
      }
      return try Store.insertAnnotation(
        db, sliceId: sliceId, kind: kind, annotator: annotator,
        pixels: BlobCoding.bytes(data), costSeconds: costModel.seconds(for: kind),
        actor: actor, action: "annotation.reveal")
    }
  }

  /// The latest annotation of each given slice that has one, keyed by slice id.
  public func latestAnnotations(sliceIds: [Int64]) throws -> [Int64: Annotation] {
    if sliceIds.isEmpty { return [:] }
    return try read("fetching annotations of \(sliceIds.count) slices") { db in
      var result: [Int64: Annotation] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT \(Store.annotationColumns) JOIN (
            SELECT max(id) AS id FROM annotations
            WHERE slice_id IN (SELECT value FROM json_each(?)) GROUP BY slice_id) latest ON latest.id = a.id
          """, arguments: [Validation.jsonArray(sliceIds)])
      while let row = try rows.next() {
        let annotation = Store.annotation(row)
        result[annotation.sliceId] = annotation
      }
      return result
    }
  }

  /// Every annotation of one slice, oldest first.
  public func annotationHistory(sliceId: Int64) throws -> [Annotation] {
    try read("fetching the annotation history of slice \(sliceId)") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Store.annotationColumns) WHERE a.slice_id = ? ORDER BY a.id
          """, arguments: [sliceId]
      ).map(Store.annotation)
    }
  }

  /// Annotation cost of a dataset so far: distinct slices labeled, labeled pixels and seconds, over all annotations.
  public func annotationTotals(datasetId: Int64) throws -> (slices: Int, pixels: Int, seconds: Double) {
    try read("summing annotation costs of dataset \(datasetId)") { db in
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT count(DISTINCT a.slice_id), coalesce(sum(a.labeled_pixels), 0), coalesce(sum(a.cost_seconds), 0.0)
          FROM annotations a JOIN slices s ON s.id = a.slice_id WHERE s.dataset_id = ?
          """, arguments: [datasetId])!
      return (row[0], row[1], row[2])
    }
  }

  // MARK: - Helpers

  /// Height, width and class count of a slice's dataset; `.notFound` naming the slice if absent.
  static func sliceShape(_ db: Database, _ sliceId: Int64) throws -> (Int, Int, Int) {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT d.slice_height, d.slice_width, d.class_count FROM slices s JOIN datasets d ON d.id = s.dataset_id
          WHERE s.id = ?
          """, arguments: [sliceId])
    else {
      throw StoreError(.notFound, "slice \(sliceId) does not exist; list the dataset's slices to get valid ids")
    }
    return (row[0], row[1], row[2])
  }

  private static func insertAnnotation(
    _ db: Database, sliceId: Int64, kind: AnnotationKind, annotator: String,
    pixels: [UInt8], costSeconds: Double, actor: String,
    action: String
  ) throws -> Annotation {
    let now = Date()
    let labeled = Validation.labeledPixels(pixels, kind: kind)
    try db.execute(
      sql: """
        INSERT INTO annotations (slice_id, kind, annotator, pixels, labeled_pixels, cost_seconds, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        sliceId, kind.rawValue, annotator, BlobCoding.data(pixels), labeled, costSeconds,
        now.timeIntervalSince1970
      ])
    let id = db.lastInsertedRowID
    let (height, width, _) = try sliceShape(db, sliceId)
    try audit(
      db, actor: actor, action: action, entity: "slice:\(sliceId)",
      detail: "annotation=\(id) kind=\(kind.rawValue) annotator=\(annotator) pixels=\(labeled) seconds=\(costSeconds)")
    return Annotation(
      id: id, sliceId: sliceId, kind: kind, annotator: annotator, pixels: pixels, height: height, width: width,
      labeledPixels: labeled, costSeconds: costSeconds,
      createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970))
  }

  /// The columns `annotation(_:)` reads, from annotations `a` joined to their slice's dataset `d` (for the size).
  static let annotationColumns = """
    a.id, a.slice_id, a.kind, a.annotator, a.pixels, a.labeled_pixels, a.cost_seconds, a.created_at,
    d.slice_height, d.slice_width
    FROM annotations a JOIN slices s ON s.id = a.slice_id JOIN datasets d ON d.id = s.dataset_id
    """

  private static func annotation(_ row: Row) -> Annotation {
    Annotation(
      id: row[0], sliceId: row[1], kind: AnnotationKind(rawValue: row[2]) ?? .full, annotator: row[3],
      pixels: BlobCoding.bytes(row[4]), height: row[8], width: row[9], labeledPixels: row[5], costSeconds: row[6],
      createdAt: Date(timeIntervalSince1970: row[7]))
  }
}
