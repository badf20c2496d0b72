// `activeseg experiment run|resume|report`: drive experiments through the gateway, show live progress,
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
    commandName: "experiment", abstract: "Run, resume or report an active-learning experiment.",
    subcommands: [Run.self, Resume.self, Report.self])

  /// Where the gateway is, and where reports go.
  struct GatewayOptions: ParsableArguments {
    @Option(help: "The gateway (default: the one `activeseg up` started, else tcp://127.0.0.1:5550).") var gateway: String?
    @Option(help: "Folder for summary.json, results.csv, paired.csv and report.html (default: <run-dir>/reports/<experiment>).") var out: String?
    @OptionGroup var run: RunOptions
    @OptionGroup var keys: ClientKeyOptions

    func endpoints() -> (rpc: String, events: String?) {
      if let gateway { return (gateway, nil) }
      let recorded = RunDirectory(path: run.runDir).load().first { $0.name == "gateway" }
      return (recorded?.endpoints["rpc"] ?? "tcp://127.0.0.1:5550", recorded?.endpoints["events"])
    }
  }

  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start an experiment from a YAML definition and follow it to the end.")
    @Argument(help: "The experiment definition (YAML).") var file: String
    @OptionGroup var options: GatewayOptions

    func run() async throws {
      let yaml: String
      do { yaml = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw ValidationError("cannot read \(file): \(error.localizedDescription)")
      }
      do { _ = try ExperimentDefinition(yaml: yaml) } catch { throw ValidationError("\(file): \(error)") }
      try await ExperimentDriver(options: options).run(yaml: yaml)
    }
  }

  struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Continue an interrupted experiment from its last finished round.")
    @Argument(help: "The experiment id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws { try await ExperimentDriver(options: options).resume(id) }
  }

  struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the reports of an experiment and print its Dice-versus-budget table.")
    @Argument(help: "The experiment id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws { try await ExperimentDriver(options: options).report(id) }
  }
}

/// The client side of an experiment: start or resume it, print progress until it ends, then the reports.
struct ExperimentDriver {
  let options: ExperimentCommand.GatewayOptions
  let logger = Logger(label: "activeseg.cli")

  func run(yaml: String) async throws {
    let channel = try ZMQChannel(connect: options.endpoints().rpc, logger: logger,
                                 security: try options.keys.client(of: "gateway", runDir: options.run.runDir))
    defer { channel.close() }
    var request = Activeseg_V1_RunExperimentRequest()
    request.configYaml = yaml
    request.actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    let started = try await call { try await channel.call("Gateway/RunExperiment", request, replying: Activeseg_V1_RunExperimentReply.self) }
    say("experiment \(started.experimentID) started")
    try await follow(started.experimentID, channel)
  }

  func resume(_ id: Int64) async throws {
    let channel = try ZMQChannel(connect: options.endpoints().rpc, logger: logger,
                                 security: try options.keys.client(of: "gateway", runDir: options.run.runDir))
    defer { channel.close() }
    var request = Activeseg_V1_ResumeExperimentRequest()
    request.experimentID = id
    _ = try await call { try await channel.call("Gateway/ResumeExperiment", request, replying: Activeseg_V1_RunExperimentReply.self) }
    say("experiment \(id) resumed")
    try await follow(id, channel)
  }

  func report(_ id: Int64) async throws {
    let channel = try ZMQChannel(connect: options.endpoints().rpc, logger: logger,
                                 security: try options.keys.client(of: "gateway", runDir: options.run.runDir))
    defer { channel.close() }
    try await writeReport(id, channel)
  }

  /// Prints progress events (or, without an events endpoint, polls) until the experiment ends.
  private func follow(_ id: Int64, _ channel: ZMQChannel) async throws {
    let subscriber = try options.endpoints().events.map { try EventSubscriber(connect: $0, topics: ["experiment-\(id)"], logger: logger,
                                                                                  security: try options.keys.client(of: "gateway", runDir: options.run.runDir)) }
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
      let reply = try await call {
        try await channel.call("Gateway/ExperimentStatus", status, replying: Activeseg_V1_ExperimentStatusReply.self, options: .idempotent())
      }
      if reply.state == "done" { break }
      if reply.state == "failed" {
        throw ValidationError("experiment \(id) failed; see the gateway's log. Fix the cause and run `activeseg experiment resume \(id)`")
      }
    }
    try await writeReport(id, channel)
  }

  private func writeReport(_ id: Int64, _ channel: ZMQChannel) async throws {
    var request = Activeseg_V1_ReportRequest()
    request.experimentID = id
    let report = try await call { try await channel.call("Gateway/Report", request, replying: Activeseg_V1_ReportReply.self) }
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

  private func call<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as ServiceError { throw ValidationError(error.message) }
  }
}
