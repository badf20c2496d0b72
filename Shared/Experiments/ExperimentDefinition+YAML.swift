// Reading an experiment definition from YAML text, with errors that name the key path and
// the allowed values, and writing the resolved definition back (saved with results).

import Yams

extension ExperimentDefinition {
  static let topLevelKeys = [
    "name", "dataset", "supervision", "strategies", "schedule", "ensemble_size", "seeds", "preset",
    "encoder_preset", "initial", "annotators"
  ]

  /// Parses and validates a definition, filling in defaults.
  /// - Throws: `ExperimentError` naming the key path (e.g. `strategies[1].name`) and the allowed values.
  public init(yaml text: String) throws {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw ExperimentError(
          code: .missingKey, path: "", message: "the document is empty; set at least dataset and strategies")
      }
      root = node
    } catch let error as ExperimentError {
      throw error
    } catch {
      throw ExperimentError(code: .malformedYAML, path: "", message: "not valid YAML: \(error)")
    }
    let top = try YAMLValue(node: root, path: "").mapping(allowed: Self.topLevelKeys)
    func required(_ key: String) throws -> YAMLValue {
      guard let value = top[key] else {
        throw ExperimentError(code: .missingKey, path: key, message: "'\(key)' is required")
      }
      return value
    }
    let dataset = try required("dataset").string()
    guard !dataset.isEmpty else {
      throw ExperimentError(code: .invalidValue, path: "dataset", message: "name a stored dataset")
    }
    let preset = try top["preset"]?.choice(PresetName.self) ?? .cpu
    var ensembleSize: Int?
    if let value = top["ensemble_size"] {
      ensembleSize = try value.int()
      guard ensembleSize! >= 1 else { throw value.error(.invalidValue, "must be at least 1") }
    }
    self.init(
      name: try top["name"]?.string(),
      dataset: dataset,
      supervision: try top["supervision"]?.choice(Supervision.self) ?? .scribble,
      strategies: try Self.parseStrategies(try required("strategies")),
      schedule: try top["schedule"].map(Self.parseSchedule) ?? Schedule.named("paper")!,
      ensembleSize: ensembleSize,
      seeds: try top["seeds"].map(Self.parseSeeds) ?? [0],
      preset: preset,
      encoderPreset: try top["encoder_preset"]?.choice(PresetName.self),
      initial: try top["initial"]?.choice(InitialSelection.self) ?? .strategy,
      annotators: try top["annotators"]?.choice(Annotators.self) ?? .oracle)
  }

  // MARK: - Parts

  static func parseStrategies(_ value: YAMLValue) throws -> [StrategySpec] {
    let items = try value.sequence()
    guard !items.isEmpty else { throw value.error(.invalidValue, "list at least one strategy") }
    var specs: [StrategySpec] = []
    for item in items {
      let spec: StrategySpec
      if item.node.scalar != nil {
        spec = StrategySpec(name: try YAMLValue(node: item.node, path: item.child("name")).choice(StrategyName.self))
      } else {
        let entry = try item.mapping(allowed: ["name", "label", "parameters"])
        guard let name = entry["name"] else {
          throw item.error(.missingKey, "'name' is required", at: item.child("name"))
        }
        var parameters: [String: String] = [:]
        if let block = entry["parameters"] {
          guard let mapping = block.node.mapping else {
            throw block.error(.invalidValue, "expected a mapping of string values")
          }
          for (key, raw) in mapping {
            let keyText = try YAMLValue(node: key, path: block.path).string()
            parameters[keyText] = try YAMLValue(node: raw, path: block.child(keyText)).string()
          }
        }
        spec = StrategySpec(
          name: try name.choice(StrategyName.self), label: try entry["label"]?.string(), parameters: parameters)
      }
      guard !spec.label.hasPrefix("@") else {
        throw item.error(
          .invalidValue,
          "label '\(spec.label)' begins with '@', which is kept for the gateway's own records; rename it",
          at: item.child("label"))
      }
      guard !specs.contains(where: { $0.label == spec.label }) else {
        throw item.error(
          .invalidValue, "label '\(spec.label)' is used twice; give each entry a distinct 'label'",
          at: item.child("label"))
      }
      specs.append(spec)
    }
    return specs
  }

  static func parseSchedule(_ value: YAMLValue) throws -> Schedule {
    if value.node.scalar != nil {
      let name = try value.string()
      guard let schedule = Schedule.named(name) else {
        throw value.error(
          .invalidValue,
          "unknown schedule '\(name)'; allowed values: \(Schedule.names.joined(separator: ", ")), or a mapping with 'cumulative' or 'increments'"
        )
      }
      return schedule
    }
    let entry = try value.mapping(allowed: ["name", "cumulative", "increments"])
    let label = try entry["name"]?.string()
    switch (entry["cumulative"], entry["increments"]) {
    case (let list?, nil):
      let schedule = Schedule(cumulative: try list.sequence().map { try $0.fraction() }, name: label)
      try validate(schedule, at: list)
      return schedule
    case (nil, let list?):
      let increments = try list.sequence().map { try $0.fraction() }
      for (i, inc) in increments.enumerated() where !(inc > 0) {
        throw list.error(.invalidValue, "increment \(inc) must be > 0", at: "\(list.path)[\(i)]")
      }
      let schedule = Schedule(increments: increments, name: label)
      try validate(schedule, at: list)
      return schedule
    case (nil, nil):
      guard let label, let schedule = Schedule.named(label) else {
        throw value.error(
          .missingKey, "give 'cumulative' or 'increments', or a 'name' among \(Schedule.names.joined(separator: ", "))")
      }
      return schedule
    case (_?, _?):
      throw value.error(.invalidValue, "give either 'cumulative' or 'increments', not both")
    }
  }

  static func validate(_ schedule: Schedule, at list: YAMLValue) throws {
    guard !schedule.cumulative.isEmpty else { throw list.error(.invalidValue, "list at least one round") }
    var previous = 0.0
    for (i, fraction) in schedule.cumulative.enumerated() {
      guard fraction > previous, fraction <= 1 + 1e-9 else {
        throw list.error(
          .invalidValue, "cumulative fraction \(fraction) must exceed the previous one (\(previous)) and be at most 1",
          at: "\(list.path)[\(i)]")
      }
      previous = fraction
    }
  }

  /// A list of seeds, or a count `n` meaning seeds 0..<n (`seeds: 10`).
  static func parseSeeds(_ value: YAMLValue) throws -> [UInt64] {
    if value.node.scalar != nil {
      let count = try value.int()
      guard (1...10_000).contains(count) else {
        throw value.error(
          .invalidValue, "a seed count must be 1 to 10000, got \(count); or list the seeds, e.g. [0, 1, 2]")
      }
      return (0..<UInt64(count)).map { $0 }
    }
    let items = try value.sequence()
    guard !items.isEmpty else { throw value.error(.invalidValue, "list at least one seed") }
    var seeds: [UInt64] = []
    for item in items {
      let seed = try item.int()
      guard seed >= 0 else { throw item.error(.invalidValue, "seeds must be non-negative, got \(seed)") }
      guard !seeds.contains(UInt64(seed)) else { throw item.error(.invalidValue, "seed \(seed) is listed twice") }
      seeds.append(UInt64(seed))
    }
    return seeds
  }

  // MARK: - Writing

  /// The resolved definition as YAML; `init(yaml:)` reads it back to an equal definition.
  public func yaml() -> String {
    func list(_ values: [String]) -> Node { Node(values.map { Node($0) }, .implicit, .flow) }
    var schedulePairs: [(Node, Node)] = []
    if let name = schedule.name { schedulePairs.append(("name", Node(name))) }
    schedulePairs.append(("cumulative", list(schedule.cumulative.map { "\($0)" })))
    let strategyNodes: [Node] = strategies.map { spec in
      var pairs: [(Node, Node)] = [
        ("name", Node(spec.name.rawValue)), ("label", Node(spec.label, .implicit, .doubleQuoted))
      ]
      if !spec.parameters.isEmpty {
        let sorted = spec.parameters.sorted { $0.key < $1.key }
        pairs.append(("parameters", Node(sorted.map { (Node($0.key), Node($0.value, .implicit, .doubleQuoted)) })))
      }
      return Node(pairs)
    }
    let rootPairs: [(Node, Node)] = [
      ("name", Node(name, .implicit, .doubleQuoted)),
      ("dataset", Node(dataset, .implicit, .doubleQuoted)),
      ("supervision", Node(supervision.rawValue)),
      ("strategies", Node(strategyNodes)),
      ("schedule", Node(schedulePairs)),
      ("ensemble_size", Node(String(ensembleSize))),
      ("seeds", list(seeds.map(String.init))),
      ("preset", Node(preset.rawValue)),
      ("encoder_preset", Node(encoderPreset.rawValue)),
      ("initial", Node(initial.rawValue)),
      ("annotators", Node(annotators.rawValue))
    ]
    let root = Node(rootPairs)
    // Serialising a tree of plain scalars cannot fail.
    return (try? Yams.serialize(node: root, sortKeys: false)) ?? ""
  }
}
