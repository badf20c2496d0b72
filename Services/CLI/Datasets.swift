// `activeseg datasets [list]` and `activeseg datasets delete NAME`: what storage holds, and removing a dataset
// (with its slices and labels, in one audited transaction) after the user confirms.
import ArgumentParser
import Foundation
import Logging
import Messaging
import Protos

struct Datasets: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the datasets in storage, or delete one.",
    subcommands: [List.self, Delete.self], defaultSubcommand: List.self)

  struct StorageOptions: ParsableArguments {
    @Option(help: "The storage service (default: the one `activeseg up` recorded in the run folder).") var storage:
      String?
    @OptionGroup var run: RunOptions
    @OptionGroup var keys: ClientKeyOptions

    /// A channel to storage, after checking that it answers.
    func connect() async throws -> ZMQChannel {
      let locator = ServiceLocator(runDir: run.runDir, keys: keys)
      let target = try locator.target(
        "storage", at: try locator.endpoint("storage", given: storage, option: "--storage"))
      try await ServiceHealth.require([target])
      return try ZMQChannel(connect: target.endpoint, logger: Logger(label: "activeseg.cli"), security: target.security)
    }

    func datasets(_ channel: ZMQChannel) async throws -> [Activeseg_V1_Dataset] {
      try await serviceCall {
        try await channel.call(
          "Storage/ListDatasets", Activeseg_V1_ListDatasetsRequest(), replying: Activeseg_V1_ListDatasetsReply.self,
          options: .idempotent(timeout: .seconds(30), caller: "cli")
        ).datasets
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the datasets with their patients, volumes, split counts and size.")
    @OptionGroup var options: StorageOptions
    @Flag(help: "Print JSON (one object per dataset) instead of a table.") var json = false

    func run() async throws {
      let channel = try await options.connect()
      defer { channel.close() }
      let datasets = try await options.datasets(channel)
      if json {
        say(
          try Listing.json(
            datasets.map { d in
              [
                "id": d.id, "name": d.name, "format": d.format, "patients": Int(d.patients), "volumes": Int(d.volumes),
                "train_slices": Int(d.trainSlices), "val_slices": Int(d.valSlices), "test_slices": Int(d.testSlices),
                "height": Int(d.sliceHeight), "width": Int(d.sliceWidth), "classes": d.classNames,
                "created": Listing.date(d.createdUnixMs)
              ] as [String: Any]
            }))
        return
      }
      guard !datasets.isEmpty else {
        say(
          "no datasets yet; import one with `activeseg import --format phantom --name phantom` (or acdc, wsl4mis, nnunet)"
        )
        return
      }
      say(
        Listing.table(
          header: ["id", "name", "format", "patients", "volumes", "train", "val", "test", "size", "classes"],
          rows: datasets.map { d in
            [
              "\(d.id)", d.name, d.format, "\(d.patients)", "\(d.volumes)", "\(d.trainSlices)", "\(d.valSlices)",
              "\(d.testSlices)",
              "\(d.sliceHeight)×\(d.sliceWidth)", d.classNames.joined(separator: ",")
            ]
          }))
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Delete a dataset with its slices and labels (asks first; --yes to skip).",
      discussion: "Refused while experiments use the dataset, unless --with-experiments, which deletes them too. "
        + "Everything goes in one transaction, recorded in the audit trail.")
    @Argument(help: "The dataset's name.") var name: String
    @Flag(help: "Also delete the experiments that use it (their rounds, models and selections).") var withExperiments =
      false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var options: StorageOptions

    func run() async throws {
      let channel = try await options.connect()
      defer { channel.close() }
      let datasets = try await options.datasets(channel)
      guard let dataset = datasets.first(where: { $0.name == name }) else {
        throw CLIFailure(
          kind: .notFound,
          message:
            "dataset '\(name)' does not exist (have: \(datasets.isEmpty ? "none" : datasets.map(\.name).joined(separator: ", ")))"
        )
      }
      if !yes {
        print(
          "delete dataset \(dataset.id) '\(name)': \(dataset.patients) patients, \(dataset.trainSlices + dataset.valSlices + dataset.testSlices) slices and their labels\(withExperiments ? ", and the experiments that use it" : "")? Type the name to confirm: ",
          terminator: "")
        fflush(nil)
        guard readLine()?.trimmingCharacters(in: .whitespaces) == name else {
          throw CLIFailure.refused("not confirmed; nothing was deleted (pass --yes to skip the question)")
        }
      }
      var request = Activeseg_V1_DeleteDatasetRequest()
      request.name = name
      request.withExperiments = withExperiments
      request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
      let reply = try await serviceCall("nothing was deleted") {
        try await channel.call(
          "Storage/DeleteDataset", request, replying: Activeseg_V1_DeleteDatasetReply.self,
          options: CallOptions(timeout: .seconds(600), caller: request.actor))
      }
      say(
        "deleted dataset \(reply.dataset.id) '\(name)'\(reply.deletedExperiments.isEmpty ? "" : " and experiment(s) \(reply.deletedExperiments.joined(separator: ", "))")"
      )
    }
  }
}
