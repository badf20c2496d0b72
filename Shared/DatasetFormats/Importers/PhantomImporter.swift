// The phantom cohort as an import format: volumes are generated on load, one at a time.

import Imaging

/// Imports the built-in phantom cohort (no files).
public struct PhantomImporter: DatasetImporter {
  public let parameters: PhantomParameters
  public let options: ImportOptions

  public init(parameters: PhantomParameters = PhantomParameters(), options: ImportOptions = ImportOptions()) {
    self.parameters = parameters
    self.options = options
  }

  public func plan() throws -> ImportPlan {
    try options.validate()
    guard parameters.problems.isEmpty else {
      throw DatasetError(
        code: .invalidMetadata,
        message:
          "phantom parameters are invalid: \(parameters.problems.joined(separator: "; ")); fix the phantom settings")
    }
    let cohort = PhantomCohort(parameters: parameters)
    let splits = PatientSplit.assign(cohort.patientIDs, fractions: options.splitFractions, seed: options.splitSeed)
    var volumes = [VolumeEntry]()
    for (index, id) in cohort.patientIDs.enumerated() {
      let depth = cohort.sliceCount(patient: index)
      for phase in CardiacPhase.allCases {
        volumes.append(
          VolumeEntry(
            key: "\(id)_\(phase.rawValue)", patientID: id, phase: phase.rawValue,
            split: splits[id] ?? .train, depth: depth, height: parameters.height,
            width: parameters.width, classCount: CardiacLabel.classCount,
            source: .phantom(parameters: parameters, patient: index, phase: phase)))
      }
    }
    // Group and scanner go where ACDC's Info.cfg keys go, so the cohort's strata can be read back per patient.
    let patients = cohort.patientIDs.enumerated().map { index, id in
      PatientRecord(
        id: id, split: splits[id] ?? .train,
        info: [
          "seed": "\(parameters.seed)", "Group": cohort.group(patient: index).rawValue,
          "Scanner": cohort.scanner(patient: index).name
        ])
    }
    return ImportPlan(
      datasetName: "phantom", format: .phantom, classCount: CardiacLabel.classCount,
      classNames: CardiacLabel.names, patients: patients, volumes: volumes, notes: [])
  }

  public func loadVolume(_ entry: VolumeEntry) throws -> ImportedVolume {
    guard case let .phantom(p, patient, phase) = entry.source else {
      preconditionFailure("PhantomImporter got a foreign entry \(entry.key)")
    }
    let v = PhantomCohort(parameters: p).volume(patient: patient, phase: phase)
    let shape = [v.depth, v.height, v.width]
    let raw = RawVolume(
      shape: shape, image: v.image, kind: .float32,
      label: (v.label.map(Float.init), shape, entry.key + " label"),
      scribble: (v.scribble.map(Float.init), shape, entry.key + " scribble"),
      spacing: [v.spacing.0, v.spacing.1, v.spacing.2], imageName: "phantom:\(entry.key)",
      preNormalized: false)
    return try VolumeAssembler.assemble(raw, entry: entry, options: options)
  }
}
