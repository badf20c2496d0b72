// Dataset import: the header, the patients and a lazily produced stream of volumes go into the
// database in ONE write transaction, so a failure or a crash at any moment leaves nothing behind.

import Foundation
import GRDB

extension Store {
  /// Imports a dataset atomically and returns it.
  ///
  /// `nextVolume` is called inside the transaction until it returns nil; each volume is validated
  /// (sizes `depth·H·W`, label values `< classCount`, scribble values `< classCount` or the ignore
  /// value) and stored as one row per slice. Any thrown error rolls the whole import back.
  @discardableResult
  public func importDataset(
    _ header: DatasetHeader, patients: [PatientInput],
    volumes nextVolume: () throws -> VolumeInput?, actor: String
  ) throws -> DatasetInfo {
    try Store.validate(header, patients: patients)
    let datasetId: Int64 = try write("importing dataset '\(header.name)'") { db in
      if let existing = try Row.fetchOne(
        db, sql: "SELECT id, created_at FROM datasets WHERE name = ?",
        arguments: [header.name])
      {
        let created = Date(timeIntervalSince1970: existing[1])
        throw StoreError(
          .alreadyExists,
          "dataset '\(header.name)' already exists (id \(existing[0] as Int64), imported \(created)); import under a different --name, or delete the old dataset first"
        )
      }
      let names = String(decoding: try JSONEncoder().encode(header.classNames), as: UTF8.self)
      try db.execute(
        sql: """
          INSERT INTO datasets (name, format, class_count, class_names, slice_height, slice_width, created_at, source_path)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          header.name, header.format, header.classCount, names, header.sliceHeight,
          header.sliceWidth, Date().timeIntervalSince1970, header.sourcePath
        ])
      let datasetId = db.lastInsertedRowID
      var patientIds: [String: (id: Int64, split: Split)] = [:]
      for patient in patients {
        try db.execute(
          sql: "INSERT INTO patients (dataset_id, key, split, info) VALUES (?, ?, ?, ?)",
          arguments: [datasetId, patient.key, patient.split.rawValue, patient.infoJSON])
        patientIds[patient.key] = (db.lastInsertedRowID, patient.split)
      }
      var volumeKeys = Set<String>()
      var sliceCount = 0
      while let volume = try nextVolume() {
        guard let patient = patientIds[volume.patientKey] else {
          throw StoreError(
            .invalidInput,
            "volume '\(volume.key)' refers to patient '\(volume.patientKey)', which is not in the patient list; add the patient or fix the key"
          )
        }
        guard volumeKeys.insert(volume.key).inserted else {
          throw StoreError(
            .invalidInput,
            "volume key '\(volume.key)' appears twice in dataset '\(header.name)'; volume keys must be unique")
        }
        try Store.validate(volume, header: header)
        try Store.insert(
          volume, db: db, datasetId: datasetId, patientId: patient.id, split: patient.split,
          header: header)
        sliceCount += volume.depth
      }
      if sliceCount == 0 {
        throw StoreError(
          .invalidInput, "dataset '\(header.name)' has no volumes; check the source path \(header.sourcePath)")
      }
      try Store.audit(
        db, actor: actor, action: "dataset.import", entity: "dataset:\(datasetId)",
        detail:
          "name=\(header.name) format=\(header.format) patients=\(patients.count) volumes=\(volumeKeys.count) slices=\(sliceCount)"
      )
      return datasetId
    }
    // A big import grows the WAL to the size of the data; fold it back into the main file.
    _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    guard let info = try datasets().first(where: { $0.id == datasetId }) else {
      throw StoreError(.database, "dataset '\(header.name)' vanished right after its import")
    }
    return info
  }

  /// Deletes a dataset and everything that hangs off its slices (labels, embeddings, selections), and the
  /// experiments `experiments` (their rounds, models and selections) in the same transaction, audited.
  @discardableResult
  public func deleteDataset(named name: String, experiments: [Int64] = [], actor: String) throws -> Int64 {
    try write("deleting dataset '\(name)'") { db in
      guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM datasets WHERE name = ?", arguments: [name]) else {
        throw StoreError(.notFound, "dataset '\(name)' does not exist; list datasets to see the names")
      }
      for experiment in experiments {
        try db.execute(sql: "DELETE FROM experiments WHERE id = ?", arguments: [experiment])
        try Store.audit(
          db, actor: actor, action: "experiment.delete", entity: "experiment:\(experiment)",
          detail: "with dataset \(name)")
      }
      try db.execute(sql: "DELETE FROM datasets WHERE id = ?", arguments: [id])
      try Store.audit(
        db, actor: actor, action: "dataset.delete", entity: "dataset:\(id)",
        detail: "name=\(name) experiments=\(experiments.count)")
      return id
    }
  }

  // MARK: - Validation

  static func validate(_ header: DatasetHeader, patients: [PatientInput]) throws {
    try Validation.nonEmpty(header.name, "dataset name")
    guard (1...255).contains(header.classCount) else {
      throw StoreError(
        .invalidInput,
        "dataset '\(header.name)' has \(header.classCount) classes; give 1 to 255 class names (background first)")
    }
    guard header.sliceHeight > 0, header.sliceWidth > 0 else {
      throw StoreError(
        .invalidInput,
        "dataset '\(header.name)' has slice size \(header.sliceHeight)×\(header.sliceWidth); both must be positive")
    }
    var keys = Set<String>()
    for patient in patients {
      try Validation.nonEmpty(patient.key, "a patient key of dataset '\(header.name)'")
      guard keys.insert(patient.key).inserted else {
        throw StoreError(
          .invalidInput,
          "patient key '\(patient.key)' appears twice in dataset '\(header.name)'; patient keys must be unique")
      }
      try Validation.json(patient.infoJSON, "info of patient '\(patient.key)'")
    }
  }

  static func validate(_ volume: VolumeInput, header: DatasetHeader) throws {
    let (h, w, d) = (header.sliceHeight, header.sliceWidth, volume.depth)
    let name = "volume '\(volume.key)'"
    try Validation.nonEmpty(volume.key, "a volume key of patient '\(volume.patientKey)'")
    guard d > 0 else { throw StoreError(.invalidInput, "\(name) has depth \(d); it needs at least one slice") }
    guard volume.originalHeight > 0, volume.originalWidth > 0 else {
      throw StoreError(
        .invalidInput,
        "\(name) has original size \(volume.originalHeight)×\(volume.originalWidth); give its size before resampling")
    }
    guard volume.spacing.count == 3, volume.spacing.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw StoreError(
        .invalidInput, "\(name) has spacing \(volume.spacing); give three positive millimetre values (x, y, z)")
    }
    let expected = d * h * w
    func checkSize(_ count: Int, _ what: String) throws {
      guard count == expected else {
        throw StoreError(
          .invalidInput,
          "\(name): \(what) has \(count) values, expected depth·H·W = \(d)·\(h)·\(w) = \(expected); resample it to the dataset's slice size"
        )
      }
    }
    try checkSize(volume.image.count, "image")
    if let bad = volume.image.firstIndex(where: { !$0.isFinite }) {
      throw StoreError(
        .invalidInput,
        "\(name) slice \(bad / (h * w)): image has a non-finite value (\(volume.image[bad])); fix or clip the source intensities"
      )
    }
    if let label = volume.label {
      try checkSize(label.count, "label")
      if let bad = Validation.firstBadLabel(label, classCount: header.classCount, allowIgnore: false) {
        throw StoreError(
          .invalidInput,
          "\(name) slice \(bad / (h * w)): label value \(label[bad]) is not below the class count \(header.classCount); fix the mask or the class names"
        )
      }
    }
    if let scribble = volume.scribble {
      guard volume.label != nil else {
        throw StoreError(.invalidInput, "\(name) has scribbles but no full label; ground truth needs the full mask too")
      }
      try checkSize(scribble.count, "scribble")
      if let bad = Validation.firstBadLabel(scribble, classCount: header.classCount, allowIgnore: true) {
        throw StoreError(
          .invalidInput,
          "\(name) slice \(bad / (h * w)): scribble value \(scribble[bad]) is neither below the class count \(header.classCount) nor the ignore value \(AnnotationKind.ignoreValue)"
        )
      }
    }
  }

  // MARK: - Insertion

  private static func insert(
    _ volume: VolumeInput, db: Database, datasetId: Int64, patientId: Int64,
    split: Split, header: DatasetHeader
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO volumes (dataset_id, patient_id, key, phase, depth, original_height, original_width,
                             spacing_x, spacing_y, spacing_z)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      datasetId, patientId, volume.key, volume.phase, volume.depth,
      volume.originalHeight, volume.originalWidth,
      volume.spacing[0], volume.spacing[1], volume.spacing[2]
    ])
    let volumeId = db.lastInsertedRowID
    let plane = header.sliceHeight * header.sliceWidth
    let sliceInsert = try db.cachedStatement(
      sql: """
        INSERT INTO slices (dataset_id, volume_id, patient_id, position, count_in_volume, phase, split)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    let imageInsert = try db.cachedStatement(
      sql: "INSERT INTO images (slice_id, height, width, pixels) VALUES (?, ?, ?, ?)")
    let truthInsert = try db.cachedStatement(
      sql: "INSERT INTO ground_truth (slice_id, mask, scribble) VALUES (?, ?, ?)")
    for z in 0..<volume.depth {
      try sliceInsert.execute(arguments: [datasetId, volumeId, patientId, z, volume.depth, volume.phase, split.rawValue]
      )
      let sliceId = db.lastInsertedRowID
      let range = z * plane..<(z + 1) * plane
      let pixels = volume.image[range].withUnsafeBytes { Data($0) }
      try imageInsert.execute(arguments: [sliceId, header.sliceHeight, header.sliceWidth, pixels])
      if let label = volume.label {
        let scribble = volume.scribble.map { Data($0[range]) }
        try truthInsert.execute(arguments: [sliceId, Data(label[range]), scribble])
      }
    }
  }
}
