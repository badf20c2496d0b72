// One scan through the services: storage holds it (preprocessed as an import would), the gateway has the
// final model's members predict it on the trainers, and the CLI fetches their predictions, averages them,
// resizes them back to the scan's grid and writes the label map (and the probabilities) with the scan's header.
import DatasetFormats
import Foundation
import Imaging
import Messaging
import Protos
import ServiceKit

struct ScanSegmenter: Sendable {
  let gateway: ZMQChannel
  let storage: StorageClient
  /// The experiment, strategy and seed whose final model segments.
  let run: Activeseg_V1_SegmentRequest
  /// That final model, as the gateway found it.
  let model: Activeseg_V1_SegmentReply
  let keepScans: Bool
  /// The exported model file segmenting, when it is not an experiment's run.
  var source: String? = nil

  struct Result {
    let classCounts: [Int]
    let seconds: Double
  }

  func segment(_ item: SegmentPlan.Item) async throws -> Result {
    let started = ContinuousClock.now
    let image: NIfTIImage
    do { image = try NIfTIReader.read(item.scan) } catch let error as DatasetError {
      throw CLIFailure.refused(error.message)
    }
    var put = Activeseg_V1_PutScanRequest()
    put.likeDatasetID = model.datasetID
    put.scan.name = item.name
    put.scan.image = WireTensor(float32: image.values, shape: [image.sizeZ, image.sizeY, image.sizeX])
    put.scan.valueKind = image.valueKind.rawValue
    put.scan.spacing = [image.spacing.0, image.spacing.1, image.spacing.2]
    put.actor = run.actor
    let stored = try await serviceCall("\(item.name) was refused") {
      try await storage.channel.call(
        "Storage/PutScan", put, replying: Activeseg_V1_PutScanReply.self,
        options: CallOptions(timeout: .seconds(600), caller: run.actor))
    }
    let volume: SegmentationVolume
    do {
      volume = try await predict(
        stored.sliceIds, classes: Int(stored.dataset.numClasses), height: image.sizeY, width: image.sizeX,
        keepProbabilities: item.probabilities != nil, scan: item.name)
    } catch {
      if !keepScans { try? await delete(stored.dataset.name) }
      throw error
    }
    if !keepScans {
      try await serviceCall("deleting \(item.name) from storage") { try await delete(stored.dataset.name) }
    }
    let description =
      source.map { "activeseg segment: \(URL(fileURLWithPath: $0).lastPathComponent)" }
      ?? "activeseg segment: experiment \(run.experimentID) \(run.strategy)/seed\(run.seed)"
    try write(item.labels) {
      try NIfTIWriter.writeLabels(
        volume.labels, like: item.template, classes: volume.classes, description: description, to: $0)
    }
    if let path = item.probabilities {
      try write(path) {
        try NIfTIWriter.writeFrames(
          volume.probabilities, frames: volume.classes, like: item.template, description: description, to: $0)
      }
    }
    let elapsed = ContinuousClock.now - started
    return Result(
      classCounts: volume.classCounts,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }

  /// The members predict `slices` (stored under their checkpoints), which are fetched and combined.
  private func predict(
    _ slices: [Int64], classes: Int, height: Int, width: Int, keepProbabilities: Bool,
    scan: String
  ) async throws -> SegmentationVolume {
    var request = run
    request.sliceIds = slices
    _ = try await serviceCall("segmenting \(scan)") {
      try await gateway.call(
        "Gateway/Segment", request, replying: Activeseg_V1_SegmentReply.self,
        options: CallOptions(timeout: .seconds(3600), caller: run.actor))
    }
    let predictions = try await serviceCall("fetching the predictions of \(scan)") {
      try await storage.predictions(checkpoints: model.checkpointIds, slices: slices)
    }
    var byKey: [String: ProbabilityPlanes] = [:]
    for prediction in predictions {
      let shape = prediction.shape
      guard shape.count == 3, shape[0] == classes else {
        throw CLIFailure(
          kind: .software,
          message:
            "checkpoint \(prediction.checkpointID) predicted slice \(prediction.sliceID) with shape \(shape), not [\(classes), H, W]; the model does not match its dataset"
        )
      }
      byKey["\(prediction.checkpointID)/\(prediction.sliceID)"] = ProbabilityPlanes(
        classes: shape[0], height: shape[1], width: shape[2],
        values: prediction.probabilities)
    }
    let members = try slices.map { slice in
      try model.checkpointIds.map { checkpoint in
        guard let planes = byKey["\(checkpoint)/\(slice)"] else {
          throw CLIFailure(
            kind: .software,
            message:
              "storage holds no prediction of checkpoint \(checkpoint) for slice \(slice) of \(scan) after the trainers predicted it; see the trainer and storage logs"
          )
        }
        return planes
      }
    }
    return SegmentationVolume(slices: members, height: height, width: width, keepProbabilities: keepProbabilities)
  }

  private func delete(_ dataset: String) async throws {
    var request = Activeseg_V1_DeleteDatasetRequest()
    request.name = dataset
    request.actor = run.actor
    _ = try await storage.channel.call(
      "Storage/DeleteDataset", request, replying: Activeseg_V1_DeleteDatasetReply.self,
      options: CallOptions(timeout: .seconds(120), caller: run.actor))
  }

  /// Writes through a temporary file beside `path`, renamed into place, so a failure leaves no half-written file.
  private func write(_ path: String, _ body: (String) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let partial = url.deletingLastPathComponent().appendingPathComponent(".partial-" + url.lastPathComponent).path
    do {
      try body(partial)
      if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
      try FileManager.default.moveItem(atPath: partial, toPath: path)
    } catch let error as DatasetError {
      try? FileManager.default.removeItem(atPath: partial)
      throw CLIFailure.refused(error.message.replacingOccurrences(of: partial, with: path))
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw CLIFailure.refused("cannot write \(path): \(error.localizedDescription)")
    }
  }
}
