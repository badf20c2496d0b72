// Imports an nnU-Net raw dataset: dataset.json (labels, file_ending), imagesTr/CASE_0000.nii.gz and
// labelsTr/CASE.nii.gz. Cases named `<patient>_frameNN` are grouped by patient; the split is seeded by patient.

import Foundation

/// nnU-Net raw importer (training cases; channel 0000 only).
public struct NNUNetImporter: DatasetImporter {
  public let root: String
  public let options: ImportOptions

  public init(root: String, options: ImportOptions = ImportOptions()) {
    self.root = root
    self.options = options
  }

  public func plan() throws -> ImportPlan {
    try options.validate()
    let (name, classNames, ending) = try readDatasetJSON()
    guard ending == ".nii.gz" || ending == ".nii" else {
      throw DatasetError(
        code: .unsupported,
        message:
          "dataset.json in \(root) has file_ending \"\(ending)\"; only .nii.gz and .nii are supported, convert the images to NIfTI",
        path: root)
    }
    let imagesDir = (root as NSString).appendingPathComponent("imagesTr")
    let labelsDir = (root as NSString).appendingPathComponent("labelsTr")
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: imagesDir) else {
      throw DatasetError(
        code: .missingFile,
        message: "\(imagesDir) does not exist; an nnU-Net raw dataset needs imagesTr/ and labelsTr/", path: imagesDir)
    }
    let channelSuffix = "_0000" + ending
    let cases = files.filter { $0.hasSuffix(channelSuffix) }.map { String($0.dropLast(channelSuffix.count)) }.sorted()
    guard !cases.isEmpty else {
      throw DatasetError(
        code: .missingFile, message: "no CASE_0000\(ending) images in \(imagesDir); check file_ending in dataset.json",
        path: imagesDir)
    }
    var notes = [String]()
    if files.contains(where: { $0.hasSuffix("_0001" + ending) }) {
      notes.append("the dataset has more than one channel; only channel 0000 is imported")
    }
    var framesOf = [String: [Int]]()
    for c in cases {
      let (patient, frame) = CaseNaming.patientAndFrame(c)
      if let frame { framesOf[patient, default: []].append(frame) }
    }
    let patientIDs = Array(Set(cases.map { CaseNaming.patientAndFrame($0).patient })).sorted()
    let splits = PatientSplit.assign(patientIDs, fractions: options.splitFractions, seed: options.splitSeed)
    var volumes = [VolumeEntry]()
    for c in cases {
      let image = (imagesDir as NSString).appendingPathComponent(c + channelSuffix)
      let label = (labelsDir as NSString).appendingPathComponent(c + ending)
      guard FileManager.default.fileExists(atPath: label) else {
        throw DatasetError(
          code: .missingFile,
          message:
            "\(label) is missing: case \(c) has an image but no mask; add the mask or remove the case from imagesTr",
          path: label)
      }
      let shape = try NIfTIVolumeLoader.checkShapes(image: image, others: [label])
      let (patient, frame) = CaseNaming.patientAndFrame(c)
      volumes.append(
        VolumeEntry(
          key: c, patientID: patient,
          phase: CaseNaming.phase(frame: frame, info: [:], framesOfPatient: framesOf[patient] ?? []),
          split: splits[patient] ?? .train, depth: shape[0], height: shape[1], width: shape[2],
          classCount: classNames.count, source: .nifti(image: image, label: label, scribble: nil)))
    }
    let patients = patientIDs.map { PatientRecord(id: $0, split: splits[$0] ?? .train) }
    return ImportPlan(
      datasetName: name, format: .nnunet, classCount: classNames.count, classNames: classNames,
      patients: patients, volumes: volumes, notes: notes)
  }

  public func loadVolume(_ entry: VolumeEntry) throws -> ImportedVolume {
    try NIfTIVolumeLoader.load(entry, options: options)
  }

  /// (dataset name, class names by label value, file ending) from dataset.json.
  private func readDatasetJSON() throws -> (String, [String], String) {
    let file = (root as NSString).appendingPathComponent("dataset.json")
    guard let data = FileManager.default.contents(atPath: file) else {
      throw DatasetError(
        code: .missingFile, message: "\(file) is missing; an nnU-Net raw dataset folder needs dataset.json", path: file)
    }
    guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw DatasetError(code: .invalidMetadata, message: "\(file) is not a JSON object; fix its syntax", path: file)
    }
    guard let labels = json["labels"] as? [String: Any], !labels.isEmpty else {
      throw DatasetError(
        code: .invalidMetadata,
        message: "\(file) has no \"labels\" object (name → value, e.g. {\"background\": 0, \"LV\": 1})", path: file)
    }
    var byValue = [Int: String]()
    for (name, value) in labels {
      guard let v = (value as? NSNumber)?.intValue, v >= 0, v < 255 else {
        throw DatasetError(
          code: .unsupported,
          message:
            "label \"\(name)\" in \(file) is \(value); only integer labels are supported (region-based labels are not)",
          path: file)
      }
      byValue[v] = name
    }
    let count = (byValue.keys.max() ?? 0) + 1
    guard byValue.count == count else {
      throw DatasetError(
        code: .invalidMetadata,
        message: "labels in \(file) are \(byValue.keys.sorted()); they must be consecutive from 0 (background)",
        path: file)
    }
    let ending = json["file_ending"] as? String ?? ".nii.gz"
    let name = json["name"] as? String ?? (root as NSString).lastPathComponent
    return (name, (0..<count).map { byValue[$0]! }, ending)
  }
}
