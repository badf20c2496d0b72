// `activeseg import`: asks the storage service to import a dataset (ACDC, WSL4MIS, nnU-Net or the phantom).
import ArgumentParser
import Foundation
import Logging
import Messaging
import Protos
import ServiceKit

struct Import: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Import a dataset into the storage service, in one transaction.",
    discussion: """
      PATH is read by the storage service, so it is a folder on the storage service's machine (for local
      services, any path here). Formats: acdc (patientXXX/Info.cfg + NIfTI), wsl4mis (HDF5 slices and split
      lists), nnunet (dataset.json, imagesTr, labelsTr), phantom (the built-in generated cohort; no PATH).
      """)

  @Option(help: "acdc, wsl4mis, nnunet or phantom.") var format: String
  @Argument(help: "The dataset folder (not needed for phantom).") var path: String?
  @Option(help: "A unique name for the dataset.") var name: String
  @Option(help: "Resize every slice to N×N (nearest neighbour); 0 keeps the native size.") var sliceSize = 0
  @Option(help: "Seed of the patient split and of the phantom.") var seed: UInt64 = 0
  @Option(help: "Phantom: number of patients.") var patients: Int32?
  @Option(help: "Phantom: slice size in pixels (default 128).") var size: Int32?
  @Option(help: "Phantom: fewest slices per volume.") var minSlices: Int32?
  @Option(help: "Phantom: most slices per volume.") var maxSlices: Int32?
  @Flag(
    help: "Import even if no patient falls in the test split (a tiny dataset); evaluation then reports no test Dice.")
  var allowNoTest = false
  @Option(help: "The storage service (default: the one `activeseg up` recorded in the run folder).") var storage:
    String?
  @OptionGroup var run: RunOptions
  @OptionGroup var keys: ClientKeyOptions

  func validate() throws {
    guard ["acdc", "wsl4mis", "nnunet", "phantom"].contains(format) else {
      throw ValidationError("--format must be acdc, wsl4mis, nnunet or phantom, got '\(format)'")
    }
    if format != "phantom" && path == nil {
      throw ValidationError("give the dataset folder: activeseg import --format \(format) PATH --name NAME")
    }
    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw ValidationError("--name must not be empty: it is how experiments name the dataset (e.g. --name acdc)")
    }
    guard (0...1024).contains(sliceSize) else {
      throw ValidationError("--slice-size must be 0 (native) or 1 to 1024, got \(sliceSize)")
    }
    if format != "phantom" {
      for (option, value) in [
        ("--patients", patients), ("--size", size), ("--min-slices", minSlices), ("--max-slices", maxSlices)
      ] where value != nil {
        throw ValidationError(
          "\(option) is a phantom option; \(format) datasets take their patients and sizes from PATH")
      }
    }
    if let patients, patients < 1 { throw ValidationError("--patients must be at least 1, got \(patients)") }
    if let size, !(16...1024).contains(size) { throw ValidationError("--size must be 16 to 1024 pixels, got \(size)") }
    if let minSlices, minSlices < 1 { throw ValidationError("--min-slices must be at least 1, got \(minSlices)") }
    if let maxSlices, maxSlices < (minSlices ?? 1) {
      throw ValidationError("--max-slices must be at least --min-slices (\(minSlices ?? 1)), got \(maxSlices)")
    }
  }

  func run() async throws {
    var request = Activeseg_V1_ImportRequest()
    request.format = format
    if let path { request.path = URL(fileURLWithPath: path).standardizedFileURL.path }
    request.name = name
    request.sliceSize = Int32(sliceSize)
    request.seed = seed
    request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    if let patients { request.phantom.patients = patients }
    if let size { request.phantom.size = size }
    if let minSlices { request.phantom.minSlices = minSlices }
    if let maxSlices { request.phantom.maxSlices = maxSlices }
    request.allowNoTest = allowNoTest
    let locator = ServiceLocator(runDir: run.runDir, keys: keys)
    let endpoint = try locator.endpoint("storage", given: storage, option: "--storage")
    let target = try locator.target("storage", at: endpoint)
    let pids = try await ServiceHealth.require([target])
    let channel = try ZMQChannel(connect: endpoint, logger: Logger(label: "activeseg.cli"), security: target.security)
    defer { channel.close() }
    say("importing \(format) \(path ?? "") as '\(name)' through \(endpoint) ...")
    let call = request
    let reply: Activeseg_V1_ImportReply = try await serviceCall("import failed (nothing was written)") {
      try await ServiceHealth.watching(
        [target], pids: pids, during: "the import (nothing was written)",
        progress: { say("  still importing after \($0) s") }
      ) {
        try await channel.call(
          "Storage/Import", call, options: CallOptions(timeout: .seconds(3600), caller: call.actor))
      }
    }
    let d = reply.dataset
    say(
      "imported dataset \(d.id) '\(d.name)' (\(d.format)): \(d.patients) patients, \(d.volumes) volumes, slices train \(d.trainSlices) / val \(d.valSlices) / test \(d.testSlices), \(d.sliceHeight)×\(d.sliceWidth), classes \(d.classNames.joined(separator: ", ")) in \(String(format: "%.1f", reply.seconds)) s"
    )
  }
}
