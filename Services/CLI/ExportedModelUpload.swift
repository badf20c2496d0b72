// `segment --model FILE.safetensors`: an exported model (FILE.json beside it) read back into ActiveSeg's network,
// checked against the dataset whose preprocessing the scans get, and stored as a checkpoint for the trainers.
import Foundation
import Messaging
import Segmentation
import ServiceKit

enum ExportedModelUpload {
  /// Stores the model of `path` and returns its checkpoint id and the id of `likeDataset`.
  static func store(_ path: String, likeDataset: String, storage: StorageClient) async throws -> (
    checkpoint: Int64, dataset: Int64
  ) {
    let configPath = String(path.dropLast(".safetensors".count)) + ".json"
    guard path.hasSuffix(".safetensors"), let bytes = FileManager.default.contents(atPath: path) else {
      throw CLIFailure(
        kind: .notFound,
        message: "--model \(path) is not a readable .safetensors file; give the file `activeseg export --model` wrote")
    }
    guard let json = FileManager.default.contents(atPath: configPath) else {
      throw CLIFailure(
        kind: .notFound,
        message:
          "\(configPath) is missing: `activeseg export --model` writes it beside the .safetensors file, keep the two together"
      )
    }
    let config: ExportedModelConfig
    let model: SegmentationModel
    do {
      config = try ExportedModelConfig(json: json, file: configPath)
      model = try SegmentationModel(safetensors: [UInt8](bytes), config: config.model, file: path)
    } catch let error as SegmentationError {
      throw CLIFailure.refused(error.message)
    }
    guard let dataset = try await storage.datasets().first(where: { $0.name == likeDataset }) else {
      throw CLIFailure(
        kind: .notFound, message: "--dataset '\(likeDataset)' is not in storage (activeseg datasets lists them)")
    }
    guard Int(dataset.sliceHeight) == config.input.height, Int(dataset.sliceWidth) == config.input.width,
      Int(dataset.numClasses) == config.model.network.classes
    else {
      throw CLIFailure.refused(
        "\(path) was trained on \(config.input.height)×\(config.input.width) slices with \(config.model.network.classes) classes, "
          + "but dataset '\(likeDataset)' has \(dataset.sliceHeight)×\(dataset.sliceWidth) slices and \(dataset.numClasses) classes; name a dataset imported like the one it was trained on"
      )
    }
    let metadata = String(
      decoding: try JSONSerialization.data(withJSONObject: ["imported_from": path, "architecture": config.architecture]
      ), as: UTF8.self)
    let id = try await storage.putCheckpoint(
      kind: config.model.kind == .full ? "unet" : "unet_cct", metadataJSON: metadata,
      blob: try model.checkpoint())
    return (id, dataset.id)
  }
}
