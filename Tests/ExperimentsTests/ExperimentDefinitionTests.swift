// Reading experiment definitions: defaults, schedule forms, the runs cross product, errors
// that name the key path and allowed values, and the YAML round trip.

import Testing
@testable import Experiments

@Suite struct ExperimentDefinitionTests {
  static let comparison = """
    dataset: acdc
    supervision: full
    strategies:
      - random
      - name: ours
        parameters: {pos_wt: 1500, use_labels: true}
      - {name: coreset, label: "coreset pixels"}
    schedule: {increments: [0.01, 0.01, 0.01]}
    seeds: [0, 1]
    preset: smoke
    initial: random
    """

  @Test func parsesAComparisonAndFillsDefaults() throws {
    let definition = try ExperimentDefinition(yaml: Self.comparison)
    #expect(definition.name == "acdc-full")
    #expect(definition.supervision == .full)
    #expect(definition.strategies.map(\.label) == ["random", "ours", "coreset pixels"])
    #expect(definition.strategies[1].parameters == ["pos_wt": "1500", "use_labels": "true"])
    #expect(definition.schedule.labeledCounts(poolSize: 1454) == [14, 29, 43])
    #expect(definition.ensembleSize == 1)
    #expect(definition.encoderPreset == .smoke)
    #expect(definition.initial == .random)
    #expect(definition.runs.count == 6)
    #expect(definition.runs[0] == RunKey(strategy: "random", seed: 0))
    #expect(definition.runs[5] == RunKey(strategy: "coreset pixels", seed: 1))
    #expect(definition.roundPlan(for: definition.strategies[1]).allSteps.first?.kind == .embed)
  }

  @Test func minimalDefinitionGetsDefaults() throws {
    let definition = try ExperimentDefinition(yaml: "dataset: chaos\nstrategies: [entropy]\n")
    #expect(definition.supervision == .scribble)
    #expect(definition.schedule == Schedule.named("paper")!)
    #expect(definition.seeds == [0])
    #expect(definition.preset == .cpu)
    #expect(definition.ensembleSize == 3)
    #expect(definition.initial == .strategy)
  }

  @Test(arguments: [
    ("schedule: paper", [29, 43, 58, 72, 145, 218, 290, 581]),
    ("schedule: code-long", [14, 29, 43, 58, 72, 145, 218, 290, 581]),
    ("schedule: ours-code", [14, 29, 43, 58, 72]),
    ("schedule: {cumulative: [0.02, 0.03, 0.04, 0.05]}", [29, 43, 58, 72]),
    ("schedule: {name: ours-code}", [14, 29, 43, 58, 72])
  ])
  func scheduleForms(line: String, expected: [Int]) throws {
    let definition = try ExperimentDefinition(yaml: "dataset: acdc\nstrategies: [random]\n\(line)\n")
    #expect(definition.schedule.labeledCounts(poolSize: 1454) == expected)
  }

  static let bad: [(String, String, ExperimentError.Code, String)] = [
    ("dataset: a\nstrategies: [random]\ncolour: red\n", "colour", .unknownKey, "allowed keys: name, dataset"),
    (
      "dataset: a\nstrategies: [random, {name: magic}]\n", "strategies[1].name", .invalidValue,
      "allowed values: random, foreground-random"
    ),
    ("dataset: a\nstrategies: [nope]\n", "strategies[0].name", .invalidValue, "coregcn"),
    (
      "dataset: a\nstrategies: [{name: ours, weight: 2}]\n", "strategies[0].weight", .unknownKey,
      "name, label, parameters"
    ),
    ("dataset: a\nstrategies: [random, random]\n", "strategies[1].label", .invalidValue, "distinct"),
    ("dataset: a\nstrategies: [random]\nsupervision: dense\n", "supervision", .invalidValue, "scribble, full"),
    ("dataset: a\nstrategies: [random]\npreset: gpu\n", "preset", .invalidValue, "paper, cpu, smoke"),
    ("dataset: a\nstrategies: [random]\nencoder_preset: big\n", "encoder_preset", .invalidValue, "paper, cpu, smoke"),
    ("dataset: a\nstrategies: [random]\ninitial: first\n", "initial", .invalidValue, "strategy, random"),
    ("dataset: a\nstrategies: [random]\nschedule: weekly\n", "schedule", .invalidValue, "paper, code-long, ours-code"),
    (
      "dataset: a\nstrategies: [random]\nschedule: {cumulative: [0.02, 0.02]}\n", "schedule.cumulative[1]",
      .invalidValue, "exceed"
    ),
    (
      "dataset: a\nstrategies: [random]\nschedule: {increments: [0.5, 0.6]}\n", "schedule.increments[1]", .invalidValue,
      "at most 1"
    ),
    (
      "dataset: a\nstrategies: [random]\nschedule: {increments: [0.1, -0.1]}\n", "schedule.increments[1]",
      .invalidValue, "> 0"
    ),
    (
      "dataset: a\nstrategies: [random]\nschedule: {cumulative: [0.1], increments: [0.1]}\n", "schedule", .invalidValue,
      "not both"
    ),
    (
      "dataset: a\nstrategies: [random]\nschedule: {steps: [0.1]}\n", "schedule.steps", .unknownKey,
      "cumulative, increments"
    ),
    ("dataset: a\nstrategies: [random]\nseeds: [1, x]\n", "seeds[1]", .invalidValue, "integer"),
    ("dataset: a\nstrategies: [random]\nseeds: [1, 1]\n", "seeds[1]", .invalidValue, "twice"),
    ("dataset: a\nstrategies: [random]\nensemble_size: 0\n", "ensemble_size", .invalidValue, "at least 1"),
    ("strategies: [random]\n", "dataset", .missingKey, "required"),
    ("dataset: a\n", "strategies", .missingKey, "required"),
    ("dataset: a\nstrategies: []\n", "strategies", .invalidValue, "at least one"),
    ("dataset: [a\n", "", .malformedYAML, "YAML")
  ]

  @Test(arguments: bad)
  func errorsNameTheKeyPathAndAllowedValues(yaml: String, path: String, code: ExperimentError.Code, hint: String) {
    do {
      _ = try ExperimentDefinition(yaml: yaml)
      Issue.record("accepted invalid definition:\n\(yaml)")
    } catch let error as ExperimentError {
      #expect(error.path == path, "\(error)")
      #expect(error.code == code, "\(error)")
      #expect(error.message.contains(hint), "\(error)")
    } catch {
      Issue.record("unexpected error type: \(error)")
    }
  }

  @Test func anyNumberOfSeedsAsAListOrACount() throws {
    let twelve = try ExperimentDefinition(yaml: "dataset: a\nstrategies: [random, ours]\nseeds: 12\n")
    #expect(twelve.seeds == Array(0..<12))
    #expect(twelve.runs.count == 24)
    #expect(try ExperimentDefinition(yaml: twelve.yaml()) == twelve)
    #expect(throws: ExperimentError.self) {
      try ExperimentDefinition(yaml: "dataset: a\nstrategies: [random]\nseeds: 0\n")
    }
  }

  @Test func resolvedDefinitionRoundTripsThroughYAML() throws {
    var definition = try ExperimentDefinition(yaml: Self.comparison)
    definition.strategies[2].parameters = ["note": "a: b, \"quoted\"", "empty": ""]
    definition.name = "yes"  // would read back as a boolean if left unquoted
    let text = definition.yaml()
    #expect(text.contains("cumulative: [0.01, 0.02, 0.03]"))
    #expect(try ExperimentDefinition(yaml: text) == definition)
    let long = try ExperimentDefinition(yaml: "dataset: a\nstrategies: [bald]\nschedule: code-long\nseeds: [3, 1]\n")
    let reread = try ExperimentDefinition(yaml: long.yaml())
    #expect(reread == long)
    #expect(reread.schedule.cumulative[6] == long.schedule.cumulative[6])  // bit-exact 0.15000000000000002
  }
}
