// `activeseg demo`: the whole product in one command on the built-in phantom cohort. Starts the services,
// imports the phantom (100 patients, about 1,500 pool slices), runs "ours" against random and plain Coreset
// with two paired seeds at 2 and 5 % labeled (one encoder per seed), prints the Dice-versus-budget table with
// paired intervals against random, writes the report, and stops the services. Two seeds keep it under 15 minutes
// on 2 cores; experiments/phantom-benchmark.yaml (`scripts/bench al`) runs the same comparison with five.
import ArgumentParser
import Foundation
import Launcher

struct Demo: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a short simulated experiment on the built-in phantom cohort and write its report.")

  @OptionGroup var run: RunOptions
  @Option(help: "Trainer workers to start.") var trainers = 2
  @Option(help: "Embedder workers to start (one per seed trains the seeds' encoders side by side).") var embedders = 2
  @Option(help: "Phantom patients.") var patients: Int32 = 100
  @Option(help: "Phantom slice size in pixels.") var size: Int32 = 64
  @Option(help: "Training preset (smoke is a quick look; cpu trains properly).") var preset = "cpu"
  @Option(help: "Models per ensemble.") var ensemble = 1
  @Option(help: "scribble or full (full masks train about twice as fast).") var supervision = "full"
  @Option(help: "First of five consecutive ports.") var portBase = 5550
  @Flag(help: "Run the services with CurveZMQ security (keys made in <run-dir>/keys).") var secure = false

  static func definition(preset: String, ensemble: Int, supervision: String) -> String {
    """
    name: demo
    dataset: phantom-demo
    supervision: \(supervision)
    strategies: [ours, random, coreset]
    schedule: {cumulative: [0.02, 0.05]}
    seeds: [0, 1]
    ensemble_size: \(ensemble)
    preset: \(preset)
    encoder_preset: \(preset)
    """
  }

  func run() async throws {
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    var env = ProcessInfo.processInfo.environment
    env["ACTIVESEG_RUN_DIR"] = run.runDir
    func step(_ arguments: [String]) throws {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: cli)
      process.arguments = arguments
      process.environment = env
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
    }
    try step(
      [
        "up", "--trainers", "\(trainers)", "--embedders", "\(embedders)", "--port-base", "\(portBase)", "--database",
        run.runDir + "/demo.sqlite"
      ]
        + (secure ? ["--secure"] : []))
    defer { try? step(["down"]) }
    let definition = run.runDir + "/demo.yaml"
    try Self.definition(preset: preset, ensemble: ensemble, supervision: supervision).write(
      toFile: definition, atomically: true, encoding: .utf8)
    let existing = try? String(contentsOfFile: run.runDir + "/demo.imported", encoding: .utf8)
    if existing == nil {
      try step([
        "import", "--format", "phantom", "--name", "phantom-demo", "--patients", "\(patients)", "--size", "\(size)",
        "--seed", "7"
      ])
      try "phantom-demo".write(toFile: run.runDir + "/demo.imported", atomically: true, encoding: .utf8)
    }
    try step(["experiment", "run", definition])
  }
}
