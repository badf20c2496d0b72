// Reading a preset from YAML text with a clear error for every unknown key, missing key or bad value,
// and writing a preset back as YAML (the canonical form saved next to experiment results).

import Yams

extension TrainingPreset {
  /// Every key a preset file may contain, in the order they are written.
  public static var allowedKeys: [String] { CodingKeys.allCases.map(\.rawValue) }

  /// Parses and validates a preset. Throws `SegmentationError` (`.malformedPreset`, `.invalidPreset`) naming the
  /// key and its allowed values. Every key except `iteration_cap` and `optimizer` is required.
  public init(yaml text: String) throws {
    let root: Node?
    do { root = try Yams.compose(yaml: text) } catch {
      throw SegmentationError(
        .malformedPreset, "preset text is not valid YAML (\(error)); fix the syntax or start from a built-in preset")
    }
    guard let mapping = root?.mapping else {
      throw SegmentationError(
        .malformedPreset,
        "a preset must be a YAML mapping of keys (\(Self.allowedKeys.joined(separator: ", "))) to values")
    }
    var fields: [String: Node] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.string, CodingKeys(rawValue: key) != nil else {
        throw SegmentationError(
          .invalidPreset,
          "unknown preset key '\(keyNode.string ?? "?")'; allowed keys: \(Self.allowedKeys.joined(separator: ", "))")
      }
      fields[key] = value
    }
    let reader = PresetFieldReader(fields: fields)
    self.init(
      name: try reader.string("name"),
      imageSize: try reader.int("image_size", 16...4096),
      batchSize: try reader.int("batch_size", 1...1024),
      baseLearningRate: try reader.number("base_lr", greaterThan: 0, atMost: 10),
      momentum: try reader.number("momentum", atLeast: 0, below: 1),
      weightDecay: try reader.number("weight_decay", atLeast: 0, atMost: 1),
      polyPower: try reader.number("poly_power", atLeast: 0, atMost: 10),
      maxIterations: try reader.int("max_iterations", 1...100_000_000),
      minIterations: try reader.int("min_iterations", 1...100_000_000),
      iterationCap: try reader.optionalInt("iteration_cap", 1...100_000_000),
      validationInterval: try reader.int("validation_interval", 1...100_000_000),
      ensembleSize: try reader.int("ensemble_size", 1...100),
      channels: try reader.intList("channels", count: 2...8, each: 1...4096),
      dropout: try reader.numberList("dropout", atLeast: 0, below: 1),
      threads: try reader.int("threads", 0...1024),
      augmentation: try reader.bool("augmentation"),
      optimizer: try reader.optionalChoice("optimizer", OptimizerKind.self))
    try validate()
  }

  /// Checks the rules that tie keys together (the single-key ranges are checked while parsing).
  public func validate() throws {
    guard dropout.count == channels.count else {
      throw SegmentationError(
        .invalidPreset,
        "preset key 'dropout' must list one probability per UNet level (\(channels.count) levels from 'channels'), got \(dropout.count)"
      )
    }
    let stride = 1 << (channels.count - 1)
    guard imageSize % stride == 0 else {
      throw SegmentationError(
        .invalidPreset,
        "preset key 'image_size' must be a multiple of \(stride) for a UNet with \(channels.count) levels (got \(imageSize)); allowed: \(stride * max(1, imageSize / stride)), \(stride * (imageSize / stride + 1)), …"
      )
    }
    if let cap = iterationCap, cap < minIterations {
      throw SegmentationError(
        .invalidPreset,
        "preset key 'iteration_cap' (\(cap)) must be at least 'min_iterations' (\(minIterations)), or null for no cap")
    }
  }

  /// The preset as YAML, in `allowedKeys` order; `TrainingPreset(yaml:)` reads it back unchanged.
  public var yamlText: String {
    func list<T>(_ values: [T]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
    let lines =
      [
        "name: \(name)", "image_size: \(imageSize)", "batch_size: \(batchSize)", "base_lr: \(baseLearningRate)",
        "momentum: \(momentum)", "weight_decay: \(weightDecay)", "poly_power: \(polyPower)",
        "max_iterations: \(maxIterations)", "min_iterations: \(minIterations)",
        "iteration_cap: \(iterationCap.map(String.init) ?? "null")", "validation_interval: \(validationInterval)",
        "ensemble_size: \(ensembleSize)", "channels: \(list(channels))", "dropout: \(list(dropout))",
        "threads: \(threads)", "augmentation: \(augmentation)"
      ] + (optimizer.map { ["optimizer: \($0.rawValue)"] } ?? [])
    return lines.joined(separator: "\n") + "\n"
  }
}
