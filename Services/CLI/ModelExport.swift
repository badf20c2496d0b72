// `activeseg export --model FILE.safetensors`: a run's final model (one ensemble member) as safetensors with the
// state_dict names of WSL4MIS networks/unet.py, and FILE.json beside it (ExportedModelConfig: architecture, widths,
// input size and normalisation, class names, where it came from). Read through the storage service.
import Foundation
import Messaging
import Segmentation
import ServiceKit

enum ModelExport {
  /// Writes the model of `member` of `run` to `path` and its config to the same path with `.json`; returns both paths.
  static func write(_ run: FinishedRun, member: Int, to path: String, storage: StorageClient) async throws -> (
    model: String, config: String
  ) {
    guard run.checkpoints.indices.contains(member) else {
      throw CLIFailure.refused(
        "\(run.label) has \(run.checkpoints.count) ensemble member(s); --member must be 0 to \(run.checkpoints.count - 1)"
      )
    }
    let stored = try await storage.checkpoint(run.checkpoints[member])
    let model = try SegmentationModel(checkpoint: [UInt8](stored.blob))
    guard let dataset = try await storage.datasets().first(where: { $0.name == run.definition.dataset }) else {
      throw ServiceError(
        .notFound, "experiment \(run.experiment)'s dataset '\(run.definition.dataset)' is no longer in storage")
    }
    let source = ExportedModelConfig.Source(
      experiment: run.experiment, strategy: run.strategy, seed: run.seed, round: run.round,
      member: member, members: run.checkpoints.count, checkpoint: stored.id)
    let config = ExportedModelConfig(
      model: model.config, height: Int(dataset.sliceHeight), width: Int(dataset.sliceWidth),
      classNames: dataset.classNames, source: source)
    let configPath = (path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) : path) + ".json"
    let bytes = try model.safetensors(metadata: [
      "format": ExportedModelConfig.currentFormat, "architecture": config.architecture,
      "config": URL(fileURLWithPath: configPath).lastPathComponent
    ])
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
      try config.json().write(to: URL(fileURLWithPath: configPath), options: .atomic)
    } catch {
      throw CLIFailure(
        kind: .cannotCreate,
        message:
          "cannot write \(path) or \(configPath): \(error.localizedDescription); check the folder exists and is writable"
      )
    }
    return (path, configPath)
  }
}
