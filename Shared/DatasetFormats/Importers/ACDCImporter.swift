// Imports ACDC as distributed: patientXXX/Info.cfg (ED, ES, Group, Height, Weight, NbFrame) with
// patientXXX_frameYY.nii.gz images, _gt masks and optional _scribble volumes. Patients under a `testing`
// folder form the test split; the others are split into train/val with the seeded patient split.

import Foundation

/// ACDC importer.
public struct ACDCImporter: DatasetImporter {
  public let root: String
  public let options: ImportOptions

  public init(root: String, options: ImportOptions = ImportOptions()) {
    self.root = root
    self.options = options
  }

  public func plan() throws -> ImportPlan {
    try options.validate()
    let patientDirs = try findPatientFolders()
    var infos = [String: [String: String]]()
    var known = [String: DatasetSplit]()
    var pending = [(patient: String, frame: Int, phase: String, dir: String)]()
    for (patient, dir, isTest) in patientDirs {
      let cfg = (dir as NSString).appendingPathComponent("Info.cfg")
      guard let text = try? String(contentsOfFile: cfg, encoding: .utf8) else {
        throw DatasetError(
          code: .missingFile,
          message:
            "\(cfg) is missing or unreadable; every ACDC patient folder needs its Info.cfg (keys ED, ES, Group, Height, Weight, NbFrame) to tell the ED and ES frames",
          path: cfg)
      }
      let info = CaseNaming.parseInfo(text)
      guard let ed = info["ED"].flatMap({ Int($0) }), let es = info["ES"].flatMap({ Int($0) }) else {
        throw DatasetError(
          code: .invalidMetadata,
          message:
            "\(cfg) lacks integer ED and ES entries (found keys \(info.keys.sorted())); add lines like 'ED: 1' and 'ES: 12'",
          path: cfg)
      }
      infos[patient] = info
      if isTest { known[patient] = .test }
      pending.append((patient, ed, "ED", dir))
      if es != ed { pending.append((patient, es, "ES", dir)) }
    }
    let splits = PatientSplit.complete(
      known: known, all: patientDirs.map(\.0), fractions: options.splitFractions,
      seed: options.splitSeed)
    var volumes = [VolumeEntry]()
    for p in pending {
      let key = "\(p.patient)_frame\(p.frame < 10 ? "0" : "")\(p.frame)"
      let image = try existing(p.dir, key, "", what: "image")
      let label = try existing(p.dir, key, "_gt", what: "mask")
      let scribble = try? existing(p.dir, key, "_scribble", what: "scribble")
      let shape = try NIfTIVolumeLoader.checkShapes(image: image, others: [label, scribble])
      volumes.append(
        VolumeEntry(
          key: key, patientID: p.patient, phase: p.phase, split: splits[p.patient] ?? .train,
          depth: shape[0], height: shape[1], width: shape[2], classCount: 4,
          source: .nifti(image: image, label: label, scribble: scribble)))
    }
    let patients = patientDirs.map { PatientRecord(id: $0.0, split: splits[$0.0] ?? .train, info: infos[$0.0] ?? [:]) }
    return ImportPlan(
      datasetName: "ACDC", format: .acdc, classCount: 4,
      classNames: ["background", "right ventricle", "myocardium", "left ventricle"],
      patients: patients, volumes: volumes, notes: [])
  }

  public func loadVolume(_ entry: VolumeEntry) throws -> ImportedVolume {
    try NIfTIVolumeLoader.load(entry, options: options)
  }

  // MARK: - Files

  /// Patient folders directly under `root` or under `root/training` and `root/testing`.
  private func findPatientFolders() throws -> [(String, String, Bool)] {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw DatasetError(
        code: .missingFile,
        message:
          "ACDC folder \(root) does not exist; pass the folder that holds the patientXXX folders (or training/ and testing/)",
        path: root)
    }
    var out = [(String, String, Bool)]()
    for (sub, isTest) in [("", false), ("training", false), ("testing", true)] {
      let base = sub.isEmpty ? root : (root as NSString).appendingPathComponent(sub)
      let names = (try? fm.contentsOfDirectory(atPath: base)) ?? []
      for name in names.sorted() where name.hasPrefix("patient") {
        let dir = (base as NSString).appendingPathComponent(name)
        if fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue { out.append((name, dir, isTest)) }
      }
    }
    guard !out.isEmpty else {
      throw DatasetError(
        code: .missingFile,
        message:
          "no patientXXX folders found in \(root), \(root)/training or \(root)/testing; is this the ACDC database folder?",
        path: root)
    }
    return out
  }

  /// `dir/key+suffix.nii.gz` (or `.nii`), or an error naming the missing file.
  private func existing(_ dir: String, _ key: String, _ suffix: String, what: String) throws -> String {
    for ext in [".nii.gz", ".nii"] {
      let path = (dir as NSString).appendingPathComponent(key + suffix + ext)
      if FileManager.default.fileExists(atPath: path) { return path }
    }
    let expected = (dir as NSString).appendingPathComponent(key + suffix + ".nii.gz")
    throw DatasetError(
      code: .missingFile,
      message:
        "\(expected) is missing: the \(what) of frame \(key) named in Info.cfg; restore it or remove the patient folder",
      path: expected)
  }
}
