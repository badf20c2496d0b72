// `activeseg segment`: segments new scans with the final model (or ensemble) of one run of a finished
// experiment. The scans go through the storage service and the trainers predict them; the outputs keep each
// scan's affine, spacing and shape (a uint8 label map, and optionally float32 per-class probabilities).
import ArgumentParser
import Foundation
import Logging
import Messaging
import Protos
import ServiceKit

struct Segment: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Segment new scans with the final model of a finished experiment.",
    discussion: """
      INPUT is a 3D NIfTI scan (.nii or .nii.gz) and -o the label map to write, or INPUT is a folder of scans and \
      -o a folder that gets one <name>_seg.nii.gz per scan. The model is the ensemble of the last round of \
      --strategy and --seed; its members' probabilities are averaged. Each scan is sent to the storage service, \
      preprocessed there as an import is (99th-percentile clip, min–max, nearest resize to the dataset's slice \
      size) and predicted by the trainers; the probabilities are resized back to the scan's in-plane size \
      bilinearly (on the grid the nearest resize used) and the label is their argmax there, which keeps \
      boundaries smooth and in place where resizing labels would leave them blocky. The outputs copy the \
      scan's header: affine (qform and sform), spacing, shape and units. Storage deletes the scan afterwards \
      unless --keep-scans. Outputs that exist are refused unless --force.

      Instead of an experiment, --model FILE.safetensors segments with an exported model (`activeseg export \
      --model`, or one trained further in PyTorch and saved with safetensors under the same names), with \
      FILE.json beside it; --dataset names the imported dataset whose preprocessing (slice size) the scans get. \
      The model is stored once per call as a checkpoint and predicted by the trainers like any other.
      """)

  @Option(help: "The experiment id (activeseg experiment list).") var experiment: Int64?
  @Option(help: "A strategy label of the experiment.") var strategy: String?
  @Option(help: "One of the experiment's seeds.") var seed: UInt64 = 0
  @Option(
    help: "Segment with this exported model (.safetensors, its config FILE.json beside it) instead of an experiment's.")
  var model: String?
  @Option(
    help: "With --model: the imported dataset whose preprocessing the scans get (its slice size must be the model's).")
  var dataset: String?
  @Argument(help: "A 3D NIfTI scan, or a folder of them.") var input: String
  @Option(
    name: [.customShort("o"), .long],
    help: "The label map to write (.nii or .nii.gz), or a folder for a folder of scans.")
  var output: String
  @Option(
    help:
      "Also write per-class probabilities (float32, 4D: one frame per class) to this file, or folder (<name>_prob.nii.gz)."
  )
  var probabilities: String?
  @Flag(help: "Overwrite outputs that exist.") var force = false
  @Flag(help: "Leave the scans in storage (as datasets named scan-…) instead of deleting them when done.")
  var keepScans = false
  @Option(help: "The gateway (default: the one `activeseg up` recorded in the run folder).") var gateway: String?
  @Option(help: "The storage service (default: the one `activeseg up` recorded in the run folder).") var storage:
    String?
  @OptionGroup var run: RunOptions
  @OptionGroup var keys: ClientKeyOptions

  func validate() throws {
    if model != nil {
      guard experiment == nil && strategy == nil else {
        throw ValidationError("give --model or --experiment with --strategy, not both")
      }
      guard dataset != nil else {
        throw ValidationError("--model needs --dataset NAME: the imported dataset whose preprocessing the scans get")
      }
    } else {
      guard experiment != nil, strategy != nil else {
        throw ValidationError(
          "give --experiment N --strategy LABEL (a finished run's model), or --model FILE.safetensors --dataset NAME")
      }
    }
    var isFolder: ObjCBool = false
    let folder = FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) && isFolder.boolValue
    guard !folder else { return }
    guard SegmentPlan.isNIfTI(output) else {
      throw ValidationError("-o \(output) must end in .nii.gz or .nii (a NIfTI label map), since \(input) is one scan")
    }
    if let probabilities, !SegmentPlan.isNIfTI(probabilities) {
      throw ValidationError("--probabilities \(probabilities) must end in .nii.gz or .nii, since \(input) is one scan")
    }
  }

  func run() async throws {
    let plan = try SegmentPlan(input: input, output: output, probabilities: probabilities, force: force)
    let locator = ServiceLocator(runDir: run.runDir, keys: keys)
    let gatewayTarget = try locator.target(
      "gateway", at: try locator.endpoint("gateway", given: gateway, option: "--gateway"))
    let storageTarget = try locator.target(
      "storage", at: try locator.endpoint("storage", given: storage, option: "--storage"))
    let targets = [gatewayTarget, storageTarget]
    let pids = try await ServiceHealth.require(targets)
    let logger = Logger(label: "activeseg.cli")
    let gatewayChannel = try ZMQChannel(
      connect: gatewayTarget.endpoint, logger: logger, security: gatewayTarget.security)
    defer { gatewayChannel.close() }
    let storageChannel = try ZMQChannel(
      connect: storageTarget.endpoint, logger: logger, security: storageTarget.security)
    defer { storageChannel.close() }

    var request = Activeseg_V1_SegmentRequest()
    request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    if let model, let dataset {
      let storageClient = StorageClient(channel: storageChannel, caller: request.actor)
      let stored = try await serviceCall {
        try await ExportedModelUpload.store(model, likeDataset: dataset, storage: storageClient)
      }
      request.checkpointIds = [stored.checkpoint]
      request.likeDatasetID = stored.dataset
    } else {
      request.experimentID = experiment ?? 0
      request.strategy = strategy ?? ""
      request.seed = seed
    }
    let check = request
    let model = try await serviceCall {
      try await gatewayChannel.call(
        "Gateway/Segment", check, replying: Activeseg_V1_SegmentReply.self,
        options: .idempotent(timeout: .seconds(30), caller: check.actor))
    }
    let dice = model.testDice.isFinite ? String(format: ", test Dice %.3f", model.testDice) : ""
    if let path = self.model {
      say("segmenting \(plan.items.count) scan(s) with \(path) (checkpoint \(model.checkpointIds[0]))")
    } else {
      say(
        "segmenting \(plan.items.count) scan(s) with experiment \(request.experimentID) \(request.strategy)/seed\(seed): round \(model.round) (\(model.labeledSlices) labeled slices\(dice)), \(model.checkpointIds.count) model(s)"
      )
    }
    let segmenter = ScanSegmenter(
      gateway: gatewayChannel, storage: StorageClient(channel: storageChannel, caller: request.actor),
      run: request, model: model, keepScans: keepScans, source: self.model)
    for item in plan.items {
      let result = try await ServiceHealth.watching(targets, pids: pids, during: "segmenting \(item.name)") {
        try await segmenter.segment(item)
      }
      let (x, y, z) = (item.template.sizeX, item.template.sizeY, item.template.sizeZ)
      let counts = result.classCounts.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", ")
      say(
        "  \(item.name) (\(x)×\(y)×\(z)) -> \(item.labels)\(item.probabilities.map { " and \($0)" } ?? "") in \(String(format: "%.1f", result.seconds)) s; voxels per class \(counts)"
      )
    }
  }
}
