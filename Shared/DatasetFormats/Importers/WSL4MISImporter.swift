// Imports the WSL4MIS ACDC layout: ACDC_training_slices/{patient}_{frame}_slice_{k}.h5 (image, label, scribble),
// ACDC_training_volumes/{patient}_{frame}.h5 (image D×H×W, label) and optional split lists train.txt (slices),
// val.txt and test.txt (volumes) in the root. Training slices are grouped back into volumes by name.
// Images are already clipped and scaled by the WSL4MIS pipeline, so they are kept as stored.

import Foundation

/// WSL4MIS HDF5 importer.
public struct WSL4MISImporter: DatasetImporter {
  public let root: String
  public let options: ImportOptions
  /// libhdf5 in this process, or in a child process that a damaged file may crash (`HDF5ChildReader`).
  public let hdf5: any HDF5Reading
  public static let sliceFolder = "ACDC_training_slices"
  public static let volumeFolder = "ACDC_training_volumes"

  public init(root: String, options: ImportOptions = ImportOptions(), hdf5: any HDF5Reading = InProcessHDF5()) {
    self.root = root
    self.options = options
    self.hdf5 = hdf5
  }

  public func plan() throws -> ImportPlan {
    try options.validate()
    let fm = FileManager.default
    let sliceDir = path(Self.sliceFolder), volumeDir = path(Self.volumeFolder)
    let sliceFiles = ((try? fm.contentsOfDirectory(atPath: sliceDir)) ?? []).filter { $0.hasSuffix(".h5") }
    let volumeFiles = ((try? fm.contentsOfDirectory(atPath: volumeDir)) ?? []).filter { $0.hasSuffix(".h5") }
    guard !sliceFiles.isEmpty || !volumeFiles.isEmpty else {
      throw DatasetError(
        code: .missingFile,
        message:
          "no .h5 files in \(sliceDir) or \(volumeDir); pass the WSL4MIS data root (the folder holding \(Self.sliceFolder) and \(Self.volumeFolder))",
        path: root)
    }
    // Group slice files by volume key, ordered by slice number.
    var slices = [String: [(Int, String)]]()
    for file in sliceFiles {
      guard let (volume, k) = CaseNaming.volumeAndSlice(String(file.dropLast(3))) else { continue }
      slices[volume, default: []].append((k, (sliceDir as NSString).appendingPathComponent(file)))
    }
    let volumesOnDisk = Set(volumeFiles.map { String($0.dropLast(3)) })
    let keys = Set(slices.keys).union(volumesOnDisk).sorted()
    let listed = try readSplitLists()
    // Patient info from the copied Info.cfg files (ACDC_training_slices/patientXXX.cfg).
    var infos = [String: [String: String]]()
    var framesOf = [String: [Int]]()
    for key in keys {
      let (patient, frame) = CaseNaming.patientAndFrame(key)
      if let frame { framesOf[patient, default: []].append(frame) }
      if infos[patient] == nil {
        let cfg = (sliceDir as NSString).appendingPathComponent(patient + ".cfg")
        infos[patient] = (try? String(contentsOfFile: cfg, encoding: .utf8)).map(CaseNaming.parseInfo) ?? [:]
      }
    }
    var known = [String: DatasetSplit]()
    for key in keys { if let s = listed[key] { known[CaseNaming.patientAndFrame(key).patient] = s } }
    let patientIDs = Array(Set(keys.map { CaseNaming.patientAndFrame($0).patient })).sorted()
    let splits =
      listed.isEmpty
      ? PatientSplit.assign(patientIDs, fractions: options.splitFractions, seed: options.splitSeed)
      : known
    var volumes = [VolumeEntry]()
    for key in keys {
      let (patient, frame) = CaseNaming.patientAndFrame(key)
      guard let split = splits[patient] else { continue }  // not in any list: left out
      let group = (slices[key] ?? []).sorted { $0.0 < $1.0 }
      let volumeFile = (volumeDir as NSString).appendingPathComponent(key + ".h5")
      // Training keys come from their slices (they carry scribbles); val/test from the volume file.
      let useSlices = !group.isEmpty && (split == .train || !volumesOnDisk.contains(key))
      let source: VolumeSource
      let shape: [Int]
      if useSlices {
        try checkContiguous(group, key: key)
        guard let s = try hdf5.shape(group[0].1, dataset: "image"), s.count == 2 else {
          throw missingOrFlat(group[0].1, expected: "H×W")
        }
        source = .hdf5Slices(paths: group.map(\.1))
        shape = [group.count] + s
      } else {
        guard let s = try hdf5.shape(volumeFile, dataset: "image"), s.count == 3 else {
          throw missingOrFlat(volumeFile, expected: "D×H×W")
        }
        source = .hdf5Volume(path: volumeFile)
        shape = s
      }
      let phase = CaseNaming.phase(frame: frame, info: infos[patient] ?? [:], framesOfPatient: framesOf[patient] ?? [])
      volumes.append(
        VolumeEntry(
          key: key, patientID: patient, phase: phase, split: split, depth: shape[0],
          height: shape[1], width: shape[2], classCount: 4, source: source))
    }
    let patients = patientIDs.compactMap { id in
      splits[id].map { PatientRecord(id: id, split: $0, info: infos[id] ?? [:]) }
    }
    var notes = [String]()
    if listed.isEmpty {
      notes.append("no train/val/test lists in \(root); used a seeded patient split (seed \(options.splitSeed))")
    }
    let dropped = patientIDs.filter { splits[$0] == nil }
    if !dropped.isEmpty {
      notes.append(
        "\(dropped.count) patients are in no split list and were left out: \(dropped.prefix(5).joined(separator: ", "))"
      )
    }
    return ImportPlan(
      datasetName: "ACDC (WSL4MIS)", format: .wsl4mis, classCount: 4,
      classNames: ["background", "right ventricle", "myocardium", "left ventricle"],
      patients: patients, volumes: volumes, notes: notes)
  }

  public func loadVolume(_ entry: VolumeEntry) throws -> ImportedVolume {
    var raw: RawVolume
    switch entry.source {
    case let .hdf5Volume(file):
      let sets = try hdf5.read(file, datasets: ["image", "label", "scribble"])
      guard let image = sets["image"] else { throw missingOrFlat(file, expected: "D×H×W") }
      guard image.shape.count == 3 else {
        throw DatasetError(
          code: .wrongDimensionality,
          message: "'image' in \(file) has shape \(VolumeAssembler.format(image.shape)); a volume file needs D×H×W",
          path: file)
      }
      guard let label = sets["label"] else { throw missingDataset(file, "label") }
      raw = RawVolume(
        shape: image.shape, image: image.values, kind: .float32,
        label: (label.values, label.shape, file + " 'label'"),
        scribble: sets["scribble"].map { ($0.values, $0.shape, file + " 'scribble'") },
        spacing: [1, 1, 1], imageName: file, preNormalized: true)
    case let .hdf5Slices(paths):
      var image = [Float](), label = [Float](), scribble = [Float]()
      var sliceShape: [Int]? = nil
      for file in paths {
        let sets = try hdf5.read(file, datasets: ["image", "label", "scribble"])
        guard let im = sets["image"] else { throw missingDataset(file, "image") }
        guard let lb = sets["label"] else { throw missingDataset(file, "label") }
        guard let sc = sets["scribble"] else { throw missingDataset(file, "scribble") }
        guard im.shape.count == 2 else {
          throw DatasetError(
            code: .wrongDimensionality,
            message:
              "'image' in slice \(file) has shape \(VolumeAssembler.format(im.shape)); a slice file needs H×W (RGB slices are not supported)",
            path: file)
        }
        if let s = sliceShape, s != im.shape {
          throw DatasetError(
            code: .shapeMismatch,
            message:
              "slice \(file) is \(VolumeAssembler.format(im.shape)) but earlier slices of \(entry.key) are \(VolumeAssembler.format(s)); all slices of a volume must have one size",
            path: file)
        }
        for (name, set) in [("label", lb), ("scribble", sc)] where set.shape != im.shape {
          throw DatasetError(
            code: .shapeMismatch,
            message:
              "'\(name)' in slice \(file) has shape \(VolumeAssembler.format(set.shape)) but 'image' has \(VolumeAssembler.format(im.shape)); regenerate the slice",
            path: file)
        }
        sliceShape = im.shape
        image += im.values
        label += lb.values
        scribble += sc.values
      }
      let shape = [paths.count] + (sliceShape ?? [0, 0])
      raw = RawVolume(
        shape: shape, image: image, kind: .float32, label: (label, shape, entry.key + " slices 'label'"),
        scribble: (scribble, shape, entry.key + " slices 'scribble'"), spacing: [1, 1, 1],
        imageName: paths.first ?? entry.key, preNormalized: true)
    default:
      preconditionFailure("WSL4MISImporter got a foreign entry \(entry.key)")
    }
    return try VolumeAssembler.assemble(raw, entry: entry, options: options)
  }

  // MARK: - Helpers

  private func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

  /// Volume key → split from train.txt (slice names) and val.txt/test.txt (volume names).
  private func readSplitLists() throws -> [String: DatasetSplit] {
    var out = [String: DatasetSplit]()
    for split in DatasetSplit.allCases {
      let file = path(split.rawValue + ".txt")
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
      for line in text.split(whereSeparator: \.isNewline) {
        var name = (line.trimmingCharacters(in: .whitespaces) as NSString).lastPathComponent
        if name.isEmpty { continue }
        if name.hasSuffix(".h5") { name = String(name.dropLast(3)) }
        let key = CaseNaming.volumeAndSlice(name)?.volume ?? name
        if let previous = out[key], previous != split {
          throw DatasetError(
            code: .invalidMetadata,
            message:
              "\(key) is listed in both \(previous.rawValue).txt and \(split.rawValue).txt in \(root); a volume (and its patient) must be in one split only",
            path: file)
        }
        out[key] = split
      }
    }
    return out
  }

  private func checkContiguous(_ group: [(Int, String)], key: String) throws {
    for (i, item) in group.enumerated() where item.0 != i {
      throw DatasetError(
        code: .missingFile,
        message:
          "slices of \(key) are not numbered 0..<\(group.count): slice \(i) is missing (found \(item.1)); restore it or remove the volume's slices",
        path: item.1)
    }
  }

  private func missingDataset(_ file: String, _ name: String) -> DatasetError {
    DatasetError(
      code: .hdf5,
      message:
        "\(file) has no dataset '\(name)'; WSL4MIS slice files need 'image', 'label' and 'scribble', volume files 'image' and 'label'",
      path: file)
  }

  private func missingOrFlat(_ file: String, expected: String) -> DatasetError {
    DatasetError(
      code: .hdf5,
      message: "\(file) has no dataset 'image' of shape \(expected); regenerate it with the WSL4MIS preprocessing",
      path: file)
  }
}
