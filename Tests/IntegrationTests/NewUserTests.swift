// What a new user hit in one afternoon (issue 17), each case once, over the real `activeseg` CLI and services
// started by `activeseg up`: bad inputs are refused at the door with the fix and the right exit code, commands
// never wait on a dead service, and the verbs the messages point to exist.
import DatasetFormats
import Foundation
import Glibc
import Launcher
import Messaging
import ServiceKit
import Testing
import TestSupport

/// One `activeseg up` in a temporary run folder, stopped with `down` when the test ends.
final class LocalRun: @unchecked Sendable {
  let directory: TemporaryDirectory
  let portBase: Int
  let cli = ServiceProcess.binDirectory() + "/activeseg"
  nonisolated(unsafe) static var next = 0

  /// `portBase` nil picks one in 20000–21999, which no other suite uses; suites of their own pass theirs.
  init(portBase: Int? = nil) throws {
    directory = try TemporaryDirectory("activeseg-newuser")
    Self.next += 1
    self.portBase = portBase ?? 20_000 + Int(getpid() % 100) * 20 + (Self.next * 5) % 20
  }

  var environment: [String: String] { ["ACTIVESEG_RUN_DIR": directory.path] }

  /// `activeseg ARGS` in this run folder: exit status, combined output and seconds taken.
  func run(_ arguments: [String]) async throws -> (status: Int32, output: String, seconds: Double) {
    let started = ContinuousClock.now
    let result = try await runCommand(cli, arguments, environment: environment)
    let elapsed = ContinuousClock.now - started
    return (
      result.status, result.output, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    )
  }

  /// Starts storage, selector and gateway (and `trainers` trainers), supervised unless `restart` is false.
  func up(trainers: Int = 0, embedders: Int = 0, restart: Bool = true) async throws {
    let result = try await run(
      ["up", "--trainers", "\(trainers)", "--embedders", "\(embedders)", "--port-base", "\(portBase)"]
        + (restart ? [] : ["--no-restart"]))
    #expect(result.status == 0, "\(result.output)")
  }

  /// The pid `services.json` records for a service.
  func pid(_ name: String) throws -> Int32 {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("services.json")))
    let services = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    guard let pid = (services.first { $0["name"] as? String == name }?["pid"] as? NSNumber)?.int32Value else {
      throw RecordError(description: "no \(name) in \(directory.file("services.json"))")
    }
    return pid
  }

  /// A client of this run's storage service (`up` puts it at the port base + 3).
  func storageClient() throws -> StorageClient {
    StorageClient(channel: try ZMQChannel(connect: "tcp://127.0.0.1:\(portBase + 3)", logger: logger), caller: "test")
  }

  func killService(_ name: String) throws { Glibc.kill(try pid(name), SIGKILL) }

  /// Imports a small phantom through the CLI.
  func importPhantom(_ name: String = "ph", patients: Int = 4, extra: [String] = []) async throws {
    let result = try await run(
      [
        "import", "--format", "phantom", "--name", name, "--patients", "\(patients)", "--size", "32",
        "--min-slices", "3", "--max-slices", "4"
      ] + extra)
    #expect(result.status == 0, "\(result.output)")
  }

  /// Writes an experiment definition into the run folder and returns its path.
  func definition(_ yaml: String, name: String = "experiment.yaml") throws -> String {
    let path = directory.file(name)
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  deinit {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cli)
    process.arguments = ["down"]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try? process.run()
    process.waitUntilExit()
    directory.remove()
  }
}

struct RecordError: Error, CustomStringConvertible { let description: String }

/// A smoke-size experiment that finishes in seconds (1 trainer, the oracle reveals the stored masks).
func smokeDefinition(
  dataset: String = "ph", strategies: String = "[random]", schedule: String = "{cumulative: [0.3]}",
  extra: String = ""
) -> String {
  """
  name: smoke
  dataset: \(dataset)
  supervision: full
  strategies: \(strategies)
  schedule: \(schedule)
  seeds: [0]
  ensemble_size: 1
  preset: smoke
  encoder_preset: smoke
  \(extra)
  """
}

@Suite(.serialized) struct NewUserTests {
  // MARK: 1. empty splits, and Report on them

  @Test func tinyDatasetIsRefusedWithTheFixAndNothingIsWritten() async throws {
    let run = try LocalRun()
    try await run.up()
    let one = try await run.run(["import", "--format", "phantom", "--name", "tiny", "--patients", "1", "--size", "32"])
    #expect(one.status == 65, "\(one.output)")
    #expect(
      one.output.contains("validation and test split would be empty") && one.output.contains("at least 3 patients"),
      "\(one.output)")
    #expect(!one.output.contains("Usage:"), "a refused input is not a usage mistake")
    let two = try await run.run(["import", "--format", "phantom", "--name", "tiny", "--patients", "2", "--size", "32"])
    #expect(two.status == 65 && two.output.contains("--allow-no-test"), "\(two.output)")
    let listed = try await run.run(["datasets", "--json"])
    #expect(
      listed.status == 0 && listed.output.contains("[") && !listed.output.contains("tiny"),
      "nothing was written: \(listed.output)")
    let allowed = try await run.run([
      "import", "--format", "phantom", "--name", "tiny", "--patients", "2", "--size", "32", "--allow-no-test"
    ])
    #expect(allowed.status == 0 && allowed.output.contains("test 0"), "\(allowed.output)")
  }

  @Test func reportOnADatasetWithoutTestSlicesAnswersAndTheGatewayStaysUp() async throws {
    let run = try LocalRun()
    try await run.up(trainers: 1)
    try await run.importPhantom("notest", patients: 2, extra: ["--allow-no-test"])
    let file = try run.definition(smokeDefinition(dataset: "notest", schedule: "{cumulative: [0.5]}"))
    let experiment = try await run.run(["experiment", "run", file])
    #expect(experiment.status == 0, "\(experiment.output)")
    let gateway = try run.pid("gateway")
    let report = try await run.run(["experiment", "report", "1"])
    #expect(report.status == 0, "\(report.output)")
    #expect(
      report.output.contains("the dataset has no test slices"), "the report says why there is no Dice: \(report.output)"
    )
    let gatewayNow = try run.pid("gateway")
    #expect(kill(gateway, 0) == 0 && gatewayNow == gateway, "the gateway did not crash or restart")
  }

  // MARK: 2. no command waits on a dead service

  @Test func importWithStorageDownFailsAtOnceNamingStorage() async throws {
    let run = try LocalRun()
    try await run.up(restart: false)
    try run.killService("storage")
    let result = try await run.run(["import", "--format", "phantom", "--name", "ph", "--patients", "4", "--size", "32"])
    #expect(result.status == 69, "\(result.output)")
    #expect(result.output.contains("storage is not replying"), "\(result.output)")
    #expect(result.seconds < 10, "failed in \(result.seconds) s")
  }

  @Test func withNoServicesRecordedImportDoesNotGuessAPort() async throws {
    let run = try LocalRun()
    let result = try await run.run(["import", "--format", "phantom", "--name", "ph"])
    #expect(result.status == 69, "\(result.output)")
    #expect(
      result.output.contains("no services are recorded") && result.output.contains("--storage"), "\(result.output)")
    #expect(!result.output.contains("5553"), "no default endpoint is tried")
  }

  @Test func experimentRunWithStorageDownNamesStorageNotTheGateway() async throws {
    let run = try LocalRun()
    try await run.up(restart: false)
    try await run.importPhantom()
    try run.killService("storage")
    let result = try await run.run(["experiment", "run", try run.definition(smokeDefinition())])
    #expect(result.status == 69, "\(result.output)")
    #expect(
      result.output.contains("storage is not replying") && !result.output.contains("no reply from tcp"),
      "\(result.output)")
    #expect(result.seconds < 10, "failed in \(result.seconds) s")
  }

  @Test func killingStorageDuringAnImportFailsItWithinSecondsAndLeavesNothing() async throws {
    let run = try LocalRun()
    try await run.up()
    async let importing = run.run(["import", "--format", "phantom", "--name", "big", "--patients", "80", "--size", "96"]
    )
    try await Task.sleep(for: .seconds(2))
    let killedAt = ContinuousClock.now
    try run.killService("storage")
    let result = try await importing
    let afterKill = ContinuousClock.now - killedAt
    #expect(result.status == 69, "\(result.output)")
    #expect(result.output.contains("storage") && result.output.contains("nothing was written"), "\(result.output)")
    #expect(afterKill < .seconds(10), "failed \(afterKill) after the kill")
    // The supervisor restarted storage; the interrupted import left nothing, and a new one works.
    var listed = try await run.run(["datasets", "--json"])
    for _ in 0..<40 where listed.status != 0 {
      try await Task.sleep(for: .milliseconds(250))
      listed = try await run.run(["datasets", "--json"])
    }
    #expect(listed.status == 0 && !listed.output.contains("\"big\""), "\(listed.output)")
    try await run.importPhantom("big")
  }

  @Test func killingTheGatewayDuringAnExperimentFailsTheCommandWithinSeconds() async throws {
    let run = try LocalRun()
    try await run.up(trainers: 1, restart: false)
    try await run.importPhantom(patients: 6)
    let file = try run.definition(
      smokeDefinition(strategies: "[random, entropy]", schedule: "{cumulative: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}"))
    async let experiment = run.run(["experiment", "run", file])
    try await Task.sleep(for: .seconds(3))
    let killedAt = ContinuousClock.now
    try run.killService("gateway")
    let result = try await experiment
    let afterKill = ContinuousClock.now - killedAt
    #expect(result.status == 69, "\(result.output)")
    #expect(result.output.contains("gateway") && result.output.contains("experiment resume 1"), "\(result.output)")
    #expect(afterKill < .seconds(10), "failed \(afterKill) after the kill")
  }

  // MARK: 3. exit codes

  @Test func runtimeFailuresAreNotUsageMistakes() async throws {
    let run = try LocalRun()
    try await run.up()
    try await run.importPhantom()
    let duplicate = try await run.run([
      "import", "--format", "phantom", "--name", "ph", "--patients", "4", "--size", "32"
    ])
    #expect(
      duplicate.status == 65 && duplicate.output.contains("already exists") && !duplicate.output.contains("Usage:"),
      "\(duplicate.output)")
    let usage = try await run.run(["import", "--format", "dicom", "--name", "x"])
    #expect(usage.status == 64 && usage.output.contains("Usage:"), "\(usage.output)")
    let help = try await run.run(["--help"])
    #expect(help.output.contains("69 a service is down"), "--help documents the exit codes")
  }

  // MARK: 4. validated at the door

  @Test func aFirstRoundOfNoSliceIsRefusedWithTheExactCount() async throws {
    let run = try LocalRun()
    try await run.up()
    try await run.importPhantom()
    let result = try await run.run([
      "experiment", "run", try run.definition(smokeDefinition(schedule: "{cumulative: [0.001]}"))
    ])
    #expect(result.status == 65, "\(result.output)")
    #expect(
      result.output.contains("0.1% of the") && result.output.contains("→ 0 slices")
        && result.output.contains("or more"), "\(result.output)")
    let list = try await run.run(["experiment", "list", "--json"])
    #expect(
      list.status == 0 && list.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
        || list.output.contains("[]"),
      "nothing was created: \(list.output)")
  }

  @Test func budgetsInPercentNeedTheirSign() async throws {
    let run = try LocalRun()
    let bare = try await run.run([
      "experiment", "run", try run.definition(smokeDefinition(schedule: "{cumulative: [2, 5]}"))
    ])
    #expect(bare.status == 65 && bare.output.contains("'2%'"), "\(bare.output)")
    try await run.up(trainers: 1)
    try await run.importPhantom()
    let percent = try await run.run([
      "experiment", "run", try run.definition(smokeDefinition(schedule: "{cumulative: ['30%']}"))
    ])
    #expect(percent.status == 0 && percent.output.contains("30.0%"), "\(percent.output)")
  }

  @Test func emptyNamesZeroPatientsAndNegativeSecondsAreRefused() async throws {
    let run = try LocalRun()
    let name = try await run.run(["import", "--format", "phantom", "--name", ""])
    #expect(name.status == 64 && name.output.contains("--name must not be empty"), "\(name.output)")
    let patients = try await run.run(["import", "--format", "phantom", "--name", "p", "--patients", "0"])
    #expect(patients.status == 64 && patients.output.contains("--patients must be at least 1"), "\(patients.output)")
    let seconds = try await run.run([
      "annotate", "submit", "--experiment", "1", "--slice", "1", "--seconds", "-5", "mask.png"
    ])
    #expect(
      seconds.status == 64 && seconds.output.contains("--seconds must be 0 or more, got -5.0"), "\(seconds.output)")
  }

  @Test func aScribbleForAFullExperimentAndAnUnknownExperimentAreRefused() async throws {
    let run = try LocalRun()
    try await run.up(trainers: 1)
    try await run.importPhantom()
    let experiment = try await run.run(["experiment", "run", try run.definition(smokeDefinition())])
    #expect(experiment.status == 0, "\(experiment.output)")
    let mask = run.directory.file("mask.png")
    try PNGFixture.write(width: 32, height: 32, to: mask)
    let scribble = try await run.run([
      "annotate", "submit", "--experiment", "1", "--slice", "1", "--kind", "scribble", mask
    ])
    #expect(scribble.status == 65 && scribble.output.contains("trains on full labels"), "\(scribble.output)")
    let unknown = try await run.run(["annotate", "next", "--experiment", "999"])
    #expect(unknown.status == 66 && unknown.output.contains("experiment 999 does not exist"), "\(unknown.output)")
    // Storage's NOT_FOUND reaches the CLI through the gateway as not-found (66), with storage's message.
    let report = try await run.run(["experiment", "report", "999"])
    #expect(report.status == 66 && report.output.contains("experiment 999 does not exist"), "\(report.output)")
    let dataset = try await run.run(["datasets", "delete", "nowhere", "--yes"])
    #expect(dataset.status == 66 && dataset.output.contains("'nowhere' does not exist"), "\(dataset.output)")
  }

  // MARK: 5. the verbs the messages point to

  @Test func experimentsAndDatasetsAreListedAndADatasetCanBeDeleted() async throws {
    let run = try LocalRun()
    try await run.up(trainers: 1)
    try await run.importPhantom()
    try await run.importPhantom("spare")
    let experiment = try await run.run(["experiment", "run", try run.definition(smokeDefinition())])
    #expect(experiment.status == 0, "\(experiment.output)")
    let list = try await run.run(["experiment", "list"])
    #expect(
      list.status == 0 && list.output.contains("done") && list.output.contains("1/1") && list.output.contains("random"),
      "\(list.output)")
    let json = try await run.run(["experiment", "list", "--json"])
    let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
    #expect(
      parsed?.first?["state"] as? String == "done" && parsed?.first?["dataset"] as? String == "ph", "\(json.output)")

    let datasets = try await run.run(["datasets"])
    #expect(
      datasets.status == 0 && datasets.output.contains("spare") && datasets.output.contains("train"),
      "\(datasets.output)")
    let unconfirmed = try await run.run(["datasets", "delete", "spare"])
    #expect(unconfirmed.status == 65 && unconfirmed.output.contains("nothing was deleted"), "\(unconfirmed.output)")
    let deleted = try await run.run(["datasets", "delete", "spare", "--yes"])
    #expect(deleted.status == 0 && deleted.output.contains("deleted dataset"), "\(deleted.output)")
    let used = try await run.run(["datasets", "delete", "ph", "--yes"])
    #expect(used.status == 65 && used.output.contains("used by experiment(s) 1"), "\(used.output)")
    let withExperiments = try await run.run(["datasets", "delete", "ph", "--yes", "--with-experiments"])
    #expect(
      withExperiments.status == 0 && withExperiments.output.contains("and experiment(s)"), "\(withExperiments.output)")
    let after = try await run.run(["datasets", "--json"])
    #expect(after.status == 0 && !after.output.contains("\"ph\"") && !after.output.contains("spare"), "\(after.output)")
    let status = try await run.run(["status", "--json"])
    let services = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [[String: Any]]
    #expect(services?.count == 4 && services?.allSatisfy { $0["state"] as? String == "up" } == true, "\(status.output)")
  }

  @Test func aRunningExperimentCanBeCancelledAndSaysHowToContinue() async throws {
    let run = try LocalRun()
    try await run.up(trainers: 1)
    try await run.importPhantom(patients: 6)
    let file = try run.definition(smokeDefinition(schedule: "{cumulative: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}"))
    async let experiment = run.run(["experiment", "run", file])
    try await Task.sleep(for: .seconds(3))
    let cancel = try await run.run(["experiment", "cancel", "1"])
    #expect(cancel.status == 0 && cancel.output.contains("experiment resume 1"), "\(cancel.output)")
    let followed = try await experiment
    #expect(followed.status == 65 && followed.output.contains("was cancelled"), "\(followed.output)")
    let list = try await run.run(["experiment", "list", "--json"])
    #expect(list.output.contains("\"cancelled\""), "\(list.output)")
    let again = try await run.run(["experiment", "cancel", "1"])
    #expect(again.status == 65 && again.output.contains("is not running (it is cancelled)"), "\(again.output)")
  }

  // MARK: 6. down and supervision

  @Test func downSaysWhichServicesHadAlreadyDied() async throws {
    let run = try LocalRun()
    try await run.up(restart: false)
    let storage = try run.pid("storage")
    try run.killService("storage")
    try await Task.sleep(for: .milliseconds(300))
    let down = try await run.run(["down"])
    #expect(down.status == 0, "\(down.output)")
    #expect(
      down.output.contains("storage (pid \(storage)) had already stopped") && !down.output.contains("stopped storage"),
      "\(down.output)")
    #expect(down.output.contains("stopped gateway"))
  }

  @Test func aServiceThatDiesIsRestartedAndStatusCountsIt() async throws {
    let run = try LocalRun()
    try await run.up()
    let before = try run.pid("selector")
    try run.killService("selector")
    var status = try await run.run(["status"])
    for _ in 0..<40 where !status.output.contains("restarts 1") || status.status != 0 {
      try await Task.sleep(for: .milliseconds(250))
      status = try await run.run(["status"])
    }
    #expect(status.status == 0 && status.output.contains("restarts 1"), "\(status.output)")
    let after = try run.pid("selector")
    #expect(after != before)
    // The dead selector's log is kept beside the new one's, so why it ended is not erased by the restart.
    let logs = run.directory.path + "/logs/selector.log"
    let previous = (try? String(contentsOfFile: logs + ".1", encoding: .utf8)) ?? ""
    let current = (try? String(contentsOfFile: logs, encoding: .utf8)) ?? ""
    #expect(previous.contains("pid=\(before) ") && current.contains("pid=\(after) "), "\(previous)\n--\n\(current)")
    let down = try await run.run(["down"])
    #expect(down.status == 0 && down.output.contains("stopped selector"), "\(down.output)")
  }
}

/// An 8-bit grayscale PNG of zeros (background everywhere), for masks the test submits.
enum PNGFixture {
  static func write(width: Int, height: Int, to path: String) throws {
    try PNGGray8(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height)).write(to: path)
  }
}
