// `activeseg export --experiment N --format nnunet DIR`: the labeled volumes of one run of an experiment as an
// nnU-Net raw dataset (dataset.json, imagesTr/<case>_0000.nii.gz, labelsTr/<case>.nii.gz). Only the slices the
// run had annotated carry labels; every other voxel is the ignore label, as nnU-Net's ignore-label convention
// allows (the highest label value, named "ignore"). `--model FILE.safetensors` writes the run's final model with
// its config JSON (ModelExport.swift). Everything is read through the storage service.
import ArgumentParser
import Foundation
import Logging
import Messaging
import Protos
import ServiceKit

struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write an experiment's labeled volumes as an nnU-Net raw dataset, and/or its final model.",
    discussion:
      "The run is one strategy and seed of the experiment (default: its first strategy and first seed), as it "
      + "stood after its last finished round. Images are written as stored (normalized to [0, 1], slices at the import's "
      + "size) with the stored spacing; labels are the latest annotation of each labeled slice, and the ignore label "
      + "(4) everywhere else, including the unannotated pixels of scribbles. --model writes that round's model as "
      + "safetensors (WSL4MIS networks/unet.py state_dict names: UNet for full masks, UNet_CCT for scribbles) and "
      + "FILE.json with its architecture, input size, normalisation and class names.")

  @Option(help: "The experiment to export.") var experiment: Int64
  @Option(help: "Dataset format for DIRECTORY; only nnunet so far.") var format = "nnunet"
  @Option(help: "The run's strategy label (default: the experiment's first).") var strategy: String?
  @Option(help: "The run's seed (default: the experiment's first).") var seed: UInt64?
  @Option(help: "The nnU-Net channel name of the images (nnU-Net normalizes \"CT\" differently from anything else).")
  var channelName = "MRI"
  @Option(help: "Also (or only) write the run's final model to this .safetensors file, with its config as FILE.json.")
  var model: String?
  @Option(help: "The ensemble member whose model --model writes (0 to ensemble_size - 1).") var member = 0
  @Flag(help: "Replace --model's files if they exist.") var force = false
  @OptionGroup var options: Datasets.StorageOptions
  @Argument(help: "The dataset folder to write, e.g. nnUNet_raw/Dataset501_Heart (made if missing; must be empty).")
  var directory: String?

  func validate() throws {
    guard directory != nil || model != nil else {
      throw ValidationError("give a DIRECTORY for the nnU-Net dataset, --model FILE.safetensors for the model, or both")
    }
    guard format == "nnunet" else {
      throw ValidationError("--format must be nnunet (the only export format so far), got '\(format)'")
    }
    if let directory, let contents = try? FileManager.default.contentsOfDirectory(atPath: directory), !contents.isEmpty
    {
      throw ValidationError("\(directory) is not empty; give a new folder so no old case is mixed in")
    }
    if let model {
      guard model.hasSuffix(".safetensors") else {
        throw ValidationError("--model '\(model)': name the file FILE.safetensors")
      }
      guard member >= 0 else { throw ValidationError("--member must be 0 or more") }
      if !force && FileManager.default.fileExists(atPath: model) {
        throw ValidationError("--model \(model) exists; give another file, or --force to replace it")
      }
    }
  }

  func run() async throws {
    let channel = try await options.connect()
    defer { channel.close() }
    let client = StorageClient(channel: channel, caller: ProcessInfo.processInfo.environment["USER"] ?? "cli")
    if let directory {
      let export = try await NnUNetExport.gather(
        experiment: experiment, strategy: strategy, seed: seed, storage: client)
      let written = try export.write(to: directory, channelName: channelName)
      say(
        "exported \(written.cases) volume(s) of \(export.runLabel) (\(export.labeledSlices) labeled slices) to \(directory): dataset.json, imagesTr/, labelsTr/; label 4 = ignore"
      )
    }
    if let model {
      let run = try await FinishedRun.latest(experiment: experiment, strategy: strategy, seed: seed, storage: client)
      let written = try await ModelExport.write(run, member: member, to: model, storage: client)
      say("exported the model of \(run.label) member \(member) to \(written.model), its config to \(written.config)")
    }
  }
}
