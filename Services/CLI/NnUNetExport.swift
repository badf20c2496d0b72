// Gathers one run's labeled volumes from storage and writes them in nnU-Net's raw dataset layout
// (nnU-Net v2 documentation, "dataset_format.md": dataset.json, imagesTr, labelsTr; "ignore_label.md").
import DatasetFormats
import Experiments
import Foundation
import Messaging
import Protos
import ServiceKit

struct NnUNetExport {
  /// The label every voxel without an annotation gets (the ignore label: the highest value, named "ignore").
  static let ignore: UInt8 = 4

  let runLabel: String
  let classNames: [String]
  let volumes: [Activeseg_V1_VolumeData]
  /// Per volume id, per position: the annotated slice's mask (H×W).
  let masks: [Int64: [Int32: [UInt8]]]
  var labeledSlices: Int { masks.values.reduce(0) { $0 + $1.count } }

  static func gather(experiment id: Int64, strategy: String?, seed: UInt64?, storage: StorageClient) async throws
    -> NnUNetExport
  {
    let last = try await FinishedRun.latest(experiment: id, strategy: strategy, seed: seed, storage: storage)
    let definition = last.definition
    guard let dataset = try await storage.datasets().first(where: { $0.name == definition.dataset }) else {
      throw ServiceError(.notFound, "experiment \(id)'s dataset '\(definition.dataset)' is no longer in storage")
    }
    let infos = Dictionary(uniqueKeysWithValues: try await storage.slices(dataset: dataset.id).map { ($0.id, $0) })
    var request = Activeseg_V1_GetAnnotationsRequest()
    request.sliceIds = last.labeled
    request.withMasks = true
    let annotations = try await storage.channel.call(
      "Storage/GetAnnotations", request, replying: Activeseg_V1_GetAnnotationsReply.self,
      options: .idempotent(timeout: .seconds(120))
    ).annotations
    // The latest annotation of each labeled slice.
    var latest: [Int64: Activeseg_V1_Annotation] = [:]
    for annotation in annotations where latest[annotation.sliceID].map({ $0.id < annotation.id }) ?? true {
      latest[annotation.sliceID] = annotation
    }
    var masks: [Int64: [Int32: [UInt8]]] = [:]
    for slice in last.labeled {
      guard let info = infos[slice] else {
        throw ServiceError(.notFound, "labeled slice \(slice) is not in dataset '\(dataset.name)'")
      }
      guard let annotation = latest[slice] else {
        throw ServiceError(
          .failedPrecondition,
          "labeled slice \(slice) has no stored annotation; the storage database is inconsistent with the experiment's rounds"
        )
      }
      masks[info.volumeID, default: [:]][Int32(info.position)] = try annotation.mask.bytes(
        "annotation \(annotation.id) of slice \(slice)")
    }
    var volumesRequest = Activeseg_V1_GetVolumesRequest()
    volumesRequest.datasetID = dataset.id
    volumesRequest.volumeIds = masks.keys.sorted()
    let volumes = try await storage.channel.call(
      "Storage/GetVolumes", volumesRequest, replying: Activeseg_V1_GetVolumesReply.self,
      options: .idempotent(timeout: .seconds(300))
    ).volumes
    return NnUNetExport(
      runLabel: last.label, classNames: dataset.classNames,
      volumes: volumes, masks: masks)
  }

  /// Writes the dataset; returns the number of cases.
  func write(to directory: String, channelName: String) throws -> (cases: Int, names: [String]) {
    let manager = FileManager.default
    for folder in ["imagesTr", "labelsTr"] {
      do { try manager.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true) } catch {
        throw CLIFailure(
          kind: .cannotCreate,
          message:
            "cannot make \(directory)/\(folder): \(error.localizedDescription); check the path and its permissions")
      }
    }
    var names: [String] = []
    for volume in volumes {
      guard volume.image.shape.count == 3 else {
        throw ServiceError(
          .internal, "volume \(volume.id) has image shape \(volume.image.shape), expected [depth, height, width]")
      }
      let (depth, height, width) = (Int(volume.image.shape[0]), Int(volume.image.shape[1]), Int(volume.image.shape[2]))
      let image = try volume.image.floats("image of volume \(volume.id)")
      var label = [UInt8](repeating: Self.ignore, count: depth * height * width)
      for (position, mask) in masks[volume.id] ?? [:] {
        guard mask.count == height * width, (0..<Int32(depth)).contains(position) else {
          throw ServiceError(
            .internal,
            "the annotation at position \(position) of volume \(volume.id) does not fit its \(depth)×\(height)×\(width) image"
          )
        }
        label.replaceSubrange(Int(position) * height * width..<(Int(position) + 1) * height * width, with: mask)
      }
      let name = Self.caseName(volume)
      let spacing =
        volume.spacing.count == 3 ? (volume.spacing[2], volume.spacing[1], volume.spacing[0]) : (1.0, 1.0, 1.0)
      do {
        try NIfTIWriter.write(
          image, sizeX: width, sizeY: height, sizeZ: depth, spacing: spacing, dataType: .float32,
          to: "\(directory)/imagesTr/\(name)_0000.nii.gz")
        try NIfTIWriter.writeMask(
          label, sizeX: width, sizeY: height, sizeZ: depth, spacing: spacing, to: "\(directory)/labelsTr/\(name).nii.gz"
        )
      } catch let error as DatasetError {
        throw CLIFailure(kind: .cannotCreate, message: "cannot write case \(name) in \(directory): \(error.message)")
      }
      names.append(name)
    }
    try datasetJSON(cases: names.count, channelName: channelName).write(
      to: URL(fileURLWithPath: "\(directory)/dataset.json"))
    return (names.count, names)
  }

  /// dataset.json: channel names, labels (background 0 … and "ignore" as the highest), case count, file ending.
  func datasetJSON(cases: Int, channelName: String) throws -> Data {
    let names = classNames.count == Int(Self.ignore) ? classNames : ["background", "RV", "MYO", "LV"]
    var labels: [String: Int] = [:]
    for (value, name) in names.enumerated() { labels[value == 0 ? "background" : name] = value }
    labels["ignore"] = Int(Self.ignore)
    let json: [String: Any] = [
      "channel_names": ["0": channelName],
      "labels": labels,
      "numTraining": cases,
      "file_ending": ".nii.gz",
      "name": runLabel,
      "description":
        "Exported by activeseg: labels on the slices annotated in \(runLabel); every other voxel is the ignore label"
    ]
    return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
  }

  /// `<patient>_<phase>` (or `_v<volume id>`), with only letters, digits, '-' and '_'.
  static func caseName(_ volume: Activeseg_V1_VolumeData) -> String {
    let raw = volume.patient + "_" + (volume.phase.isEmpty ? "v\(volume.id)" : volume.phase)
    return String(raw.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
  }
}
