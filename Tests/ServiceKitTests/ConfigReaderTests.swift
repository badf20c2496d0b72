// Configuration precedence (flag > environment > default), validation, and the documented --help.
import ServiceKit
import Testing

let bind = ConfigKey("demo.bind", env: "DEMO_BIND", .endpoint, default: "tcp://127.0.0.1:5550", "where it listens")
let workers = ConfigKey("demo.max_workers", env: "DEMO_MAX_WORKERS", .int, default: "4", "how many")

@Suite struct ConfigReaderTests {
  @Test func defaultsThenEnvironmentThenFlags() throws {
    let defaults = try ConfigReader(keys: [bind, workers], arguments: [], environment: [:])
    #expect(defaults.string(bind) == "tcp://127.0.0.1:5550")
    #expect(defaults.int(workers) == 4)
    let fromEnv = try ConfigReader(keys: [bind, workers], arguments: [], environment: ["DEMO_MAX_WORKERS": "9"])
    #expect(fromEnv.int(workers) == 9)
    let fromFlag = try ConfigReader(
      keys: [bind, workers], arguments: ["--max-workers", "2", "--bind=ipc:///tmp/x"],
      environment: ["DEMO_MAX_WORKERS": "9"])
    #expect(fromFlag.int(workers) == 2)
    #expect(fromFlag.string(bind) == "ipc:///tmp/x")
    let bare = try ConfigReader(keys: [bind], arguments: ["--exit-on-stdin-eof"], environment: [:])
    #expect(bare.bool(.exitOnStdinEOF))
  }

  @Test(arguments: [
    (["--max-workers", "many"], "must be a whole number"),
    (["--bind", "localhost:5550"], "must be a ZeroMQ endpoint"),
    (["--nope"], "unknown option '--nope'"),
    (["--bind"], "needs a value")
  ])
  func badValuesAreNamed(_ arguments: [String], _ expected: String) {
    #expect {
      _ = try ConfigReader(keys: [bind, workers], arguments: arguments, environment: [:])
    } throws: { error in
      "\(error)".contains(expected)
    }
  }

  @Test func helpListsEveryKeyWithItsEnvironmentVariableAndDefault() throws {
    let config = try ConfigReader(keys: [bind, workers], arguments: ["--help"], environment: [:])
    #expect(config.helpRequested)
    let usage = config.usage(service: "demo")
    for fragment in [
      "--bind <endpoint>", "env DEMO_BIND ", "default tcp://127.0.0.1:5550", "--max-workers <int>",
      "env LOG_LEVEL ", "--exit-on-stdin-eof <bool>"
    ] {
      #expect(usage.contains(fragment))
    }
  }
}
