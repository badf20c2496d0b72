// `activeseg up --trainers 2 && activeseg status && activeseg down` as documented: all processes start,
// status shows every service and worker, down leaves nothing running.
import Foundation
import Glibc
import Launcher
import Testing
import TestSupport

@Suite(.serialized) struct CLITests {
  @Test func upStatusDown() async throws {
    let run = try TemporaryDirectory("activeseg-cli")
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let portBase = 29_000 + Int(getpid() % 700) * 5  // below the kernel's ephemeral range (32768+)
    let env = ["ACTIVESEG_RUN_DIR": run.path]
    let up = try await runCommand(cli, ["up", "--trainers", "2", "--port-base", "\(portBase)"], environment: env)
    #expect(up.status == 0, "\(up.output)")
    #expect(up.output.contains("all 6 services are up"))
    let recorded =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.file("services.json"))))
      as? [[String: Any]]
    let pids = (recorded ?? []).compactMap { ($0["pid"] as? NSNumber)?.int32Value }
    #expect(pids.count == 6)

    // A second `up` refuses while the first is running.
    let again = try await runCommand(cli, ["up", "--port-base", "\(portBase)"], environment: env)
    #expect(again.status != 0)
    #expect(again.output.contains("already running"))

    var status = try await runCommand(cli, ["status"], environment: env)
    for _ in 0..<20 where !status.output.contains("workers: 3") {
      try await Task.sleep(for: .milliseconds(250))
      status = try await runCommand(cli, ["status"], environment: env)
    }
    #expect(status.status == 0, "\(status.output)")
    for name in ["storage", "selector", "gateway", "trainer-1", "trainer-2", "embedder-1"] {
      #expect(status.output.contains("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) up"), "\(name) is up")
    }
    #expect(status.output.contains("workers: 3"))

    // Import the phantom through the storage service that `up` started; a second import of the name fails.
    let imported = try await runCommand(
      cli, ["import", "--format", "phantom", "--name", "ph", "--patients", "3", "--size", "32"], environment: env)
    #expect(imported.status == 0, "\(imported.output)")
    #expect(imported.output.contains("imported dataset 1 'ph' (phantom): 3 patients, 6 volumes"))
    let duplicate = try await runCommand(cli, ["import", "--format", "phantom", "--name", "ph"], environment: env)
    #expect(
      duplicate.status != 0 && duplicate.output.contains("nothing was written") && duplicate.output.contains("'ph'"))
    let missing = try await runCommand(
      cli, ["import", "--format", "acdc", "/no/such/folder", "--name", "x"], environment: env)
    #expect(missing.status != 0 && missing.output.contains("/no/such/folder does not exist"))

    let down = try await runCommand(cli, ["down"], environment: env)
    #expect(down.status == 0, "\(down.output)")
    #expect(!down.output.contains("SIGKILL"), "every service stops on SIGTERM")
    #expect(pids.allSatisfy { kill($0, 0) != 0 }, "no process is left behind")
    let after = try await runCommand(cli, ["status"], environment: env)
    #expect(after.status != 0)
    run.remove()
  }
}

@Suite(.serialized) struct SecureCLITests {
  /// `up --secure` makes keys and starts everything secured; the CLI finds the admin key by itself.
  @Test func secureUpStatusImportDown() async throws {
    let run = try TemporaryDirectory("activeseg-secure-cli")
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let portBase = 22_000 + Int(getpid() % 400) * 5
    let env = ["ACTIVESEG_RUN_DIR": run.path]
    let help = try await runCommand(ServiceProcess.binDirectory() + "/activeseg-storage", ["--help"])
    for key in [
      "--secure", "env ACTIVESEG_SECURE ", "--keys-dir", "--allow-list", "--max-message-mb", "--rate-limit",
      "env ACTIVESEG_RATE_LIMIT "
    ] {
      #expect(help.output.contains(key), "storage --help documents \(key)")
    }

    let up = try await runCommand(
      cli, ["up", "--secure", "--trainers", "1", "--embedders", "0", "--port-base", "\(portBase)"], environment: env)
    #expect(up.status == 0, "\(up.output)")
    #expect(up.output.contains("with CurveZMQ security"))
    let list = try String(contentsOfFile: run.file("keys/allow-list"), encoding: .utf8)
    for entry in ["storage service", "gateway service", "trainer service", "admin admin"] {
      #expect(list.contains(entry))
    }

    var status = try await runCommand(cli, ["status"], environment: env)
    for _ in 0..<20 where !status.output.contains("workers: 1") {
      try await Task.sleep(for: .milliseconds(250))
      status = try await runCommand(cli, ["status"], environment: env)
    }
    #expect(status.status == 0 && status.output.contains("workers: 1"), "\(status.output)")
    let imported = try await runCommand(
      cli, ["import", "--format", "phantom", "--name", "ph", "--patients", "3", "--size", "32"], environment: env)
    #expect(imported.status == 0 && imported.output.contains("imported dataset 1 'ph'"), "\(imported.output)")
    let unknownKey = try await runCommand(cli, ["status", "--key", "nobody"], environment: env)
    #expect(unknownKey.status != 0 && unknownKey.output.contains("nobody.key"), "\(unknownKey.output)")

    // Generating again keeps every key, so running clients keep working.
    let again = try await runCommand(
      cli, ["keys", "generate", "--dir", run.file("keys"), "--clients", "admin:admin,ann1:annotator"])
    #expect(
      again.status == 0 && again.output.contains("kept storage") && again.output.contains("made ann1"),
      "\(again.output)")

    let down = try await runCommand(cli, ["down"], environment: env)
    #expect(down.status == 0 && !down.output.contains("SIGKILL"), "\(down.output)")
    run.remove()
  }
}

@Suite(.serialized) struct DemoTests {
  /// The whole loop on real processes: up, import the phantom, embed, select, reveal, train, evaluate,
  /// report, down — at smoke size so it takes seconds.
  @Test func demoRunsAnExperimentEndToEnd() async throws {
    let run = try TemporaryDirectory("activeseg-demo")
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let portBase = 26_000 + Int(getpid() % 600) * 5
    let demo = try await runCommand(
      cli,
      [
        "demo", "--run-dir", run.path, "--preset", "smoke", "--patients", "6", "--size", "32",
        "--port-base", "\(portBase)"
      ])
    #expect(demo.status == 0, "\(demo.output)")
    for strategy in ["ours", "random", "coreset"] { #expect(demo.output.contains(strategy)) }
    #expect(demo.output.contains("Mean test Dice vs budget"))
    #expect(demo.output.contains("5.0% (4)"), "the last round labels 5 % of the pool")
    #expect(demo.output.contains("Paired difference vs random [95 % CI]"), "the paired comparison is printed")
    let reports = try FileManager.default.contentsOfDirectory(atPath: run.path + "/reports")
    let folder = run.path + "/reports/" + (reports.first ?? "")
    let summary =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json")))
      as? [String: Any]
    let strategies = summary?["strategies"] as? [[String: Any]]
    #expect(strategies?.count == 3)
    let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("ours"))
    let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8)
    let rows = csv.split(separator: "\n").count
    let expectedRows = 1 + 3 * 2 * 2  // header + strategy × seed × round
    #expect(rows == expectedRows)
    let paired = try String(contentsOfFile: folder + "/paired.csv", encoding: .utf8)
    #expect(paired.contains("dice,ours,random,1,"), "paired.csv has ours against random at the last round")
    #expect(!demo.output.contains("SIGKILL"))
    run.remove()
  }
}
