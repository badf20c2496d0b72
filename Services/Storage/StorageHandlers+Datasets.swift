// Storage methods for datasets: Import (one transaction), ListDatasets, ListSlices, GetSlices, GetVolumes.
import DatasetFormats
import Experiments
import Foundation
import Imaging
import Messaging
import Persistence
import Protos
import ServiceKit

typealias ImportRequest = Activeseg_V1_ImportRequest
typealias ImportReply = Activeseg_V1_ImportReply
typealias WireDataset = Activeseg_V1_Dataset

extension DatasetError: DatasetErrorDescribing {
  var importMessage: String { message }
}

extension StorageHandlers {
  func registerDatasets(on router: inout RPCRouter) {
    router.register("Storage/Import") { (request: ImportRequest, context) -> ImportReply in
      let started = ContinuousClock.now
      let actor = context.auditActor(declared: request.actor)
      let (importer, plan, header, patients): (any DatasetImporter, ImportPlan, DatasetHeader, [PatientInput])
      do {
        (importer, plan, header, patients) = try Self.prepareImport(request)
      } catch {
        throw ServiceError(storageError: error)
      }
      logger.info(
        "import started", metadata: ["name": "\(header.name)", "format": "\(header.format)", "path": "\(request.path)"])
      let info = try await run { store in
        var entries = plan.volumes.makeIterator()
        return try store.importDataset(
          header, patients: patients,
          volumes: {
            guard let entry = entries.next() else {
              // After every volume was read, so a bad file is named first; inside the transaction, so nothing stays.
              try Self.checkSplits(patients, dataset: header.name, allowNoTest: request.allowNoTest)
              return nil
            }
            return Self.volumeInput(try importer.loadVolume(entry))
          }, actor: actor.isEmpty ? "unknown" : actor)
      }
      var reply = ImportReply()
      reply.dataset = try await run { try Self.wire(info, store: $0) }
      let elapsed = ContinuousClock.now - started
      reply.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      logger.info(
        "import done",
        metadata: ["name": "\(header.name)", "slices": "\(info.sliceCount)", "seconds": "\(reply.seconds)"])
      return reply
    }

    router.register("Storage/ListDatasets") { (_: Activeseg_V1_ListDatasetsRequest, _) in
      try await run { store in
        var reply = Activeseg_V1_ListDatasetsReply()
        reply.datasets = try store.datasets().map { try Self.wire($0, store: store) }
        return reply
      }
    }

    router.register("Storage/DeleteDataset") { (request: Activeseg_V1_DeleteDatasetRequest, context) in
      let actor = context.auditActor(declared: request.actor)
      return try await run { store in
        guard let info = try store.datasets().first(where: { $0.name == request.name }) else {
          let names = try store.datasets().map(\.name)
          throw ServiceError(
            .notFound,
            "dataset '\(request.name)' does not exist (have: \(names.isEmpty ? "none" : names.joined(separator: ", "))); `activeseg datasets` lists them"
          )
        }
        let users = try store.experiments().filter {
          (try? ExperimentDefinition(yaml: $0.config))?.dataset == request.name
        }
        if !users.isEmpty && !request.withExperiments {
          throw ServiceError(
            .failedPrecondition,
            "dataset '\(request.name)' is used by experiment(s) \(users.map { "\($0.id) (\($0.name), \($0.state))" }.joined(separator: ", ")); delete them with it by passing --with-experiments (with_experiments), or keep the dataset"
          )
        }
        if let running = users.first(where: { $0.state == "running" }) {
          throw ServiceError(
            .failedPrecondition,
            "experiment \(running.id) (\(running.name)) on dataset '\(request.name)' is running; let it finish (or stop the gateway) before deleting its dataset"
          )
        }
        var reply = Activeseg_V1_DeleteDatasetReply()
        reply.dataset = try Self.wire(info, store: store)
        try store.deleteDataset(
          named: request.name, experiments: users.map(\.id), actor: actor.isEmpty ? "unknown" : actor)
        reply.deletedExperiments = users.map(\.name)
        return reply
      }
    }

    router.register("Storage/ListSlices") { (request: Activeseg_V1_ListSlicesRequest, _) in
      try await run { store in
        let filter = SliceFilter(
          split: Split(wire: request.split),
          labeled: request.labelFilter == .labeled ? true : request.labelFilter == .unlabeled ? false : nil,
          kind: AnnotationKind(wire: request.kind),
          patientKey: request.patient.isEmpty ? nil : request.patient)
        let slices = try store.slices(datasetId: request.datasetID, filter: filter)
        let labeled = slices.filter { $0.labeledKind != nil }.map(\.id)
        let annotations = labeled.isEmpty ? [:] : try store.latestAnnotations(sliceIds: labeled)
        var reply = Activeseg_V1_ListSlicesReply()
        reply.slices = slices.map { slice in
          var wire = Activeseg_V1_SliceInfo()
          wire.id = slice.id
          wire.volumeID = slice.volumeId
          wire.patient = slice.patientKey
          wire.phase = slice.phase
          wire.position = Int32(slice.position)
          wire.volumeSlices = Int32(slice.countInVolume)
          wire.split = slice.split.wire
          wire.labeled = slice.labeledKind?.wire ?? .unspecified
          wire.hasForeground_p =
            annotations[slice.id].map { $0.pixels.contains { $0 != 0 && $0 != AnnotationKind.ignoreValue } } ?? false
          return wire
        }
        return reply
      }
    }

    router.register("Storage/GetSlices") { (request: Activeseg_V1_GetSlicesRequest, _) in
      try await run { store in
        let images = try store.images(ids: request.sliceIds)
        let annotations = request.withAnnotations ? try store.latestAnnotations(sliceIds: request.sliceIds) : [:]
        var reply = Activeseg_V1_GetSlicesReply()
        reply.slices = images.map { image in
          var slice = Activeseg_V1_SliceData()
          slice.id = image.id
          slice.image = WireTensor(float32: image.pixels, shape: [image.height, image.width])
          if let annotation = annotations[image.id] {
            slice.annotation = WireTensor(uint8: annotation.pixels, shape: [image.height, image.width])
            slice.kind = annotation.kind.wire
          }
          return slice
        }
        return reply
      }
    }

    router.register("Storage/GetVolumes") { (request: Activeseg_V1_GetVolumesRequest, _) in
      try await run { store in
        let ids =
          request.volumeIds.isEmpty
          ? try store.volumeIds(datasetId: request.datasetID, split: Split(wire: request.split)) : request.volumeIds
        var reply = Activeseg_V1_GetVolumesReply()
        reply.volumes = try ids.map { id in
          let volume = try store.volume(id: id)
          var wire = Activeseg_V1_VolumeData()
          wire.id = volume.id
          wire.patient = volume.patientKey
          wire.phase = volume.phase
          wire.image = WireTensor(float32: volume.image, shape: [volume.depth, volume.height, volume.width])
          if let label = volume.label {
            wire.label = WireTensor(uint8: label, shape: [volume.depth, volume.height, volume.width])
          }
          wire.spacing = volume.spacing
          wire.sliceIds = volume.sliceIds
          return wire
        }
        return reply
      }
    }
  }

  // MARK: - Import helpers

  /// HDF5 files are read in a child process (this executable with --hdf5-child): a file that crashes libhdf5
  /// fails its import with an error naming it instead of taking the storage service down.
  static let hdf5 = HDF5ChildReader()

  /// Checks the request, picks the importer, reads its plan (names and headers only), and derives the header and patients.
  static func prepareImport(_ request: ImportRequest) throws -> (
    any DatasetImporter, ImportPlan, DatasetHeader, [PatientInput]
  ) {
    guard let format = DatasetFormat(rawValue: request.format) else {
      throw ServiceError(
        .invalidArgument,
        "unknown format '\(request.format)'; use one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    if format != .phantom && !FileManager.default.fileExists(atPath: request.path) {
      throw ServiceError(
        .invalidArgument,
        "\(request.path) does not exist on the storage service's machine; pass the folder of the \(format.rawValue) dataset"
      )
    }
    let size = Int(request.sliceSize)
    guard size >= 0 && size <= 1024 else {
      throw ServiceError(.invalidArgument, "slice_size must be 0 (native) or 1 to 1024, got \(size)")
    }
    var phantom = PhantomParameters(seed: request.seed)
    if request.hasPhantom {
      let p = request.phantom
      if p.patients > 0 { phantom.patients = Int(p.patients) }
      if p.minSlices > 0 { phantom.minSlices = Int(p.minSlices) }
      if p.maxSlices > 0 { phantom.maxSlices = Int(p.maxSlices) }
      if p.size > 0 { phantom.height = Int(p.size); phantom.width = Int(p.size) }
      if p.noise > 0 { phantom.noiseLevel = p.noise }
    }
    if format == .phantom, !phantom.problems.isEmpty {
      throw ServiceError(.invalidArgument, "phantom options: \(phantom.problems.joined(separator: "; "))")
    }
    let options = ImportOptions(
      targetSize: size > 0 ? SliceSize(height: size, width: size) : nil, splitSeed: request.seed)
    try options.validate()
    let importer = DatasetImport.importer(
      format: format, root: request.path, options: options, phantom: phantom, hdf5: hdf5)
    let plan = try importer.plan()
    let sizes = Set(plan.volumes.map { size > 0 ? "\(size)x\(size)" : "\($0.height)x\($0.width)" })
    guard sizes.count == 1, let first = plan.volumes.first else {
      throw ServiceError(
        .invalidArgument,
        plan.volumes.isEmpty
          ? "\(request.path) holds no volumes to import"
          : "the volumes have different slice sizes (\(sizes.sorted().joined(separator: ", "))); pass a slice size (e.g. --slice-size 256) to resize them all"
      )
    }
    let header = DatasetHeader(
      name: request.name.isEmpty ? plan.datasetName : request.name, format: format.rawValue,
      classNames: plan.classNames,
      sliceHeight: size > 0 ? size : first.height, sliceWidth: size > 0 ? size : first.width,
      sourcePath: format == .phantom ? "phantom seed \(request.seed)" : request.path)
    let patients = try plan.patients.map { patient in
      let info = String(
        decoding: try JSONSerialization.data(withJSONObject: patient.info, options: [.sortedKeys]), as: UTF8.self)
      return PatientInput(key: patient.id, split: Split(rawValue: patient.split.rawValue) ?? .train, infoJSON: info)
    }
    return (importer, plan, header, patients)
  }

  /// Refuses a dataset whose train or validation split would be empty (nothing to train or to choose a model
  /// on), or whose test split would be, unless `allowNoTest` (evaluation then reports no test Dice).
  static func checkSplits(_ patients: [PatientInput], dataset: String, allowNoTest: Bool) throws {
    let count = { (split: Split) in patients.filter { $0.split == split }.count }
    let counts = "train \(count(.train)) / val \(count(.val)) / test \(count(.test)) patients"
    let empty = Split.allCases.filter { count($0) == 0 && !($0 == .test && allowNoTest) }
    guard !empty.isEmpty else { return }
    let names = empty.map { $0 == .val ? "validation" : $0.rawValue }.joined(separator: " and ")
    let fix =
      empty == [.test]
      ? "import at least 3 patients, or pass --allow-no-test (allow_no_test) to import it without test patients"
      : "import at least 3 patients (2 with --allow-no-test)"
    throw ServiceError(
      .invalidArgument,
      "dataset '\(dataset)' splits its \(patients.count) patient(s) into \(counts): the \(names) split would be empty; \(fix)"
    )
  }

  static func volumeInput(_ volume: ImportedVolume) -> VolumeInput {
    VolumeInput(
      patientKey: volume.patientID, key: volume.key, phase: volume.phase, depth: volume.depth,
      originalHeight: volume.originalHeight, originalWidth: volume.originalWidth, spacing: volume.spacing,
      image: volume.image, label: volume.label, scribble: volume.scribble)
  }

  static func wire(_ info: DatasetInfo, store: Store) throws -> WireDataset {
    let slices = try store.slices(datasetId: info.id)
    var dataset = WireDataset()
    dataset.id = info.id
    dataset.name = info.name
    dataset.format = info.format
    dataset.numClasses = Int32(info.classCount)
    dataset.classNames = info.classNames
    dataset.sliceHeight = Int32(info.sliceHeight)
    dataset.sliceWidth = Int32(info.sliceWidth)
    dataset.patients = Int32(Set(slices.map(\.patientId)).count)
    dataset.volumes = Int32(Set(slices.map(\.volumeId)).count)
    dataset.trainSlices = Int32(slices.filter { $0.split == .train }.count)
    dataset.valSlices = Int32(slices.filter { $0.split == .val }.count)
    dataset.testSlices = Int32(slices.filter { $0.split == .test }.count)
    dataset.createdUnixMs = info.createdAt.unixMilliseconds
    return dataset
  }
}
