// `activeseg experiment run|resume|report|list`: drive experiments through the gateway, show live progress,
// and write summary.json, results.csv, paired.csv and report.html.
import ArgumentParser
import Experiments
import Foundation
import Logging
import Messaging
import Protos
import ServiceKit

struct ExperimentCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "experiment", abstract: "Run, resume, report, list or cancel active-learning experiments.",
    subcommands: [Run.self, Resume.self, Report.self, List.self, Cancel.self])

  /// Where the gateway is, and where reports go.
  struct GatewayOptions: ParsableArguments {
    @Option(help: "The gateway (default: the one `activeseg up` recorded in the run folder).") var gateway: String?
    @Option(
      help:
        "Folder for summary.json, results.csv, paired.csv and report.html (default: <run-dir>/reports/<experiment>).")
    var out: String?
    @OptionGroup var run: RunOptions
    @OptionGroup var keys: ClientKeyOptions

    var locator: ServiceLocator { ServiceLocator(runDir: run.runDir, keys: keys) }

    /// The gateway's RPC endpoint and, for the local one, its events endpoint (a remote gateway is polled).
    func endpoints() throws -> (rpc: String, events: String?) {
      let rpc = try locator.endpoint("gateway", given: gateway, option: "--gateway")
      if gateway != nil { return (rpc, nil) }
      return (rpc, RunDirectory(path: run.runDir).load().first { $0.name == "gateway" }?.endpoints["events"])
    }

    /// The gateway and the local services behind it, checked to be up: each is named if it is not.
    func checkedServices() async throws -> (targets: [ServiceTarget], pids: [String: Int32]) {
      let targets = try locator.targets("gateway", at: try endpoints().rpc, dependencies: ["storage", "selector"])
      return (targets, try await ServiceHealth.require(targets))
    }
  }

  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Start an experiment from a YAML definition and follow it to the end.")
    @Argument(help: "The experiment definition (YAML).") var file: String
    @OptionGroup var options: GatewayOptions

    func run() async throws {
      let yaml: String
      do { yaml = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw CLIFailure.refused("cannot read \(file): \(error.localizedDescription)")
      }
      do { _ = try ExperimentDefinition(yaml: yaml) } catch { throw CLIFailure.refused("\(file): \(error)") }
      try await ExperimentDriver(options: options).run(yaml: yaml)
    }
  }

  struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Continue an interrupted experiment from its last finished round.")
    @Argument(help: "The experiment id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws { try await ExperimentDriver(options: options).resume(id) }
  }

  struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the reports of an experiment and print its Dice-versus-budget table.")
    @Argument(help: "The experiment id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws { try await ExperimentDriver(options: options).report(id) }
  }
}

extension ExperimentCommand {
  struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Stop a running experiment (its waiting jobs are cancelled; finished rounds are kept, and resume continues it)."
    )
    @Argument(help: "The experiment id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws {
      let (targets, _) = try await options.checkedServices()
      let channel = try ZMQChannel(
        connect: targets[0].endpoint, logger: Logger(label: "activeseg.cli"), security: targets[0].security)
      defer { channel.close() }
      var request = Activeseg_V1_CancelExperimentRequest()
      request.experimentID = id
      request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
      _ = try await serviceCall {
        try await channel.call(
          "Gateway/CancelExperiment", request, replying: Activeseg_V1_RunExperimentReply.self,
          options: CallOptions(timeout: .seconds(60), caller: request.actor))
      }
      say("experiment \(id) cancelled; `activeseg experiment resume \(id)` continues it from its last finished round")
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the experiments: id, state, dataset, strategies and rounds done.")
    @OptionGroup var options: GatewayOptions
    @Flag(help: "Print JSON (one object per experiment) instead of a table.") var json = false

    func run() async throws {
      let (targets, _) = try await options.checkedServices()
      let channel = try ZMQChannel(
        connect: targets[0].endpoint, logger: Logger(label: "activeseg.cli"), security: targets[0].security)
      defer { channel.close() }
      let reply = try await serviceCall {
        try await channel.call(
          "Gateway/ListExperiments", Activeseg_V1_ExperimentListRequest(),
          replying: Activeseg_V1_ExperimentListReply.self,
          options: .idempotent(timeout: .seconds(10), caller: "cli"))
      }
      if json {
        say(
          try Listing.json(
            reply.experiments.map { experiment in
              [
                "id": experiment.id, "name": experiment.name, "state": experiment.state, "dataset": experiment.dataset,
                "strategies": experiment.strategies, "seeds": Int(experiment.seeds),
                "supervision": experiment.supervision,
                "finished_rounds": Int(experiment.finishedRounds), "planned_rounds": Int(experiment.plannedRounds),
                "created": Listing.date(experiment.createdUnixMs)
              ] as [String: Any]
            }))
        return
      }
      guard !reply.experiments.isEmpty else {
        say("no experiments yet; start one with `activeseg experiment run FILE.yaml` (or `activeseg demo`)")
        return
      }
      say(
        Listing.table(
          header: ["id", "state", "rounds", "dataset", "supervision", "strategies", "seeds", "created", "name"],
          rows: reply.experiments.map { experiment in
            [
              "\(experiment.id)", experiment.state, "\(experiment.finishedRounds)/\(experiment.plannedRounds)",
              experiment.dataset,
              experiment.supervision, experiment.strategies.joined(separator: ","), "\(experiment.seeds)",
              Listing.date(experiment.createdUnixMs), experiment.name
            ]
          }))
    }
  }
}

/// The client side of an experiment: start or resume it, print progress until it ends, then the reports.
struct ExperimentDriver: Sendable {
  let options: ExperimentCommand.GatewayOptions
  let logger = Logger(label: "activeseg.cli")

  func run(yaml: String) async throws {
    let (targets, pids) = try await options.checkedServices()
    let channel = try ZMQChannel(connect: targets[0].endpoint, logger: logger, security: targets[0].security)
    defer { channel.close() }
    var request = Activeseg_V1_RunExperimentRequest()
    request.configYaml = yaml
    request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    let started = try await serviceCall {
      try await channel.call("Gateway/RunExperiment", request, replying: Activeseg_V1_RunExperimentReply.self)
    }
    say("experiment \(started.experimentID) started")
    try await followWatched(started.experimentID, channel, targets, pids)
  }

  func resume(_ id: Int64) async throws {
    let (targets, pids) = try await options.checkedServices()
    let channel = try ZMQChannel(connect: targets[0].endpoint, logger: logger, security: targets[0].security)
    defer { channel.close() }
    var request = Activeseg_V1_ResumeExperimentRequest()
    request.experimentID = id
    _ = try await serviceCall {
      try await channel.call("Gateway/ResumeExperiment", request, replying: Activeseg_V1_RunExperimentReply.self)
    }
    say("experiment \(id) resumed")
    try await followWatched(id, channel, targets, pids)
  }

  func report(_ id: Int64) async throws {
    let (targets, pids) = try await options.checkedServices()
    let channel = try ZMQChannel(connect: targets[0].endpoint, logger: logger, security: targets[0].security)
    defer { channel.close() }
    try await ServiceHealth.watching(targets, pids: pids, during: "the report of experiment \(id)") {
      try await writeReport(id, channel)
    }
  }

  /// Follows the experiment while watching the services it runs on; if one goes away the command fails
  /// within seconds, naming it, and the experiment is kept for `resume`.
  private func followWatched(_ id: Int64, _ channel: ZMQChannel, _ targets: [ServiceTarget], _ pids: [String: Int32])
    async throws
  {
    do {
      try await ServiceHealth.watching(targets, pids: pids, during: "experiment \(id)") {
        try await follow(id, channel)
      }
    } catch let failure as CLIFailure where failure.kind == .unavailable {
      throw CLIFailure.unavailable(
        failure.message
          + "; the experiment is kept: once the services are back, `activeseg experiment resume \(id)` follows it again"
      )
    }
  }

  /// Prints progress events (or, without an events endpoint, polls) until the experiment ends.
  private func follow(_ id: Int64, _ channel: ZMQChannel) async throws {
    let subscriber = try options.endpoints().events.map {
      try EventSubscriber(
        connect: $0, topics: ["experiment-\(id)"], logger: logger,
        security: try options.keys.client(of: "gateway", runDir: options.run.runDir))
    }
    let printer = Task {
      guard let subscriber else { return }
      let view = ProgressView()
      for await event in subscriber.events { view.show(event) }
    }
    defer { printer.cancel(); subscriber?.stop() }
    var status = Activeseg_V1_ExperimentStatusRequest()
    status.experimentID = id
    while true {
      try await Task.sleep(for: .seconds(1))
      let reply = try await serviceCall {
        try await channel.call(
          "Gateway/ExperimentStatus", status, replying: Activeseg_V1_ExperimentStatusReply.self, options: .idempotent())
      }
      if reply.state == "done" { break }
      if reply.state == "cancelled" {
        throw CLIFailure(
          kind: .dataError, message: "experiment \(id) was cancelled; `activeseg experiment resume \(id)` continues it")
      }
      if reply.state == "failed" {
        throw CLIFailure(
          kind: .software,
          message:
            "experiment \(id) failed (the message above says why; the gateway's log has the details). Fix the cause and run `activeseg experiment resume \(id)`"
        )
      }
    }
    try await writeReport(id, channel)
  }

  private func writeReport(_ id: Int64, _ channel: ZMQChannel) async throws {
    var request = Activeseg_V1_ReportRequest()
    request.experimentID = id
    let report = try await serviceCall {
      try await channel.call("Gateway/Report", request, replying: Activeseg_V1_ReportReply.self)
    }
    let summary = try ExperimentSummary.decode(json: Data(report.summaryJson.utf8))
    let folder = options.out ?? "\(options.run.runDir)/reports/\(summary.experiment)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try report.summaryJson.write(toFile: folder + "/summary.json", atomically: true, encoding: .utf8)
    try report.csv.write(toFile: folder + "/results.csv", atomically: true, encoding: .utf8)
    try report.html.write(toFile: folder + "/report.html", atomically: true, encoding: .utf8)
    if let comparison = summary.comparison {
      try PairedCSV.csv(comparison).write(toFile: folder + "/paired.csv", atomically: true, encoding: .utf8)
    }
    say("")
    say(ResultsTable.text(summary))
    say(PairedTable.text(summary))
    say("reports: \(folder)/report.html, summary.json, results.csv\(summary.comparison == nil ? "" : ", paired.csv")")
  }
}
