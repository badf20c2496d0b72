// Presets: the built-ins parse, `paper` is the spec, embedded text equals Presets/*.yaml, YAML round-trips,
// and bad input gets an error naming the key and the allowed values.

import Foundation
import Segmentation
import Testing

@Suite struct PresetTests {
  @Test func paperPresetIsTheSpec() throws {
    let p = try TrainingPreset.builtIn(named: "paper")
    #expect(p.imageSize == 256 && p.batchSize == 6 && p.maxIterations == 60000 && p.validationInterval == 200)
    #expect(abs(p.baseLearningRate - 0.01) < 1e-12 && abs(p.momentum - 0.9) < 1e-12)
    #expect(abs(p.weightDecay - 1e-4) < 1e-15 && abs(p.polyPower - 0.9) < 1e-12)
    #expect(p.ensembleSize == 5 && p.channels == [16, 32, 64, 128, 256] && p.augmentation)
    #expect(zip(p.dropout, [0.05, 0.1, 0.2, 0.3, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(p.iterationCap == nil)
    // method spec §2.5: 600, 1200, …, 24000 at 1 … 40 %, with the float accumulation of the fractions
    var fraction = 0.0
    var got: [Int] = []
    for step in [0.01, 0.01, 0.01, 0.01, 0.01, 0.05, 0.05, 0.05, 0.20] {
      fraction += step
      got.append(p.iterations(labeledFraction: fraction))
    }
    #expect(got == [600, 1200, 1800, 2400, 3000, 6000, 9000, 12000, 24000])
    #expect(p.networkConfig(classes: 4) == .wsl4mis)
  }

  @Test func cpuAndSmokeBoundTheirIterations() throws {
    let cpu = TrainingPreset.cpu, smoke = TrainingPreset.smoke
    #expect(cpu.iterations(labeledFraction: 0.01) == cpu.minIterations)
    // No cap: every budget above the floor trains longer than the one below it (the curve is not flattened).
    #expect(cpu.iterationCap == nil && cpu.resolvedOptimizer == .adam)
    let steps = [0.02, 0.05, 0.1, 0.2, 0.4].map { cpu.iterations(labeledFraction: $0) }
    #expect(steps == [1000, 1000, 2000, 4000, 8000])
    #expect(smoke.iterations(labeledFraction: 0.05) == 20 && smoke.imageSize == 32 && smoke.channels == [2, 4, 8])
    for p in [cpu, smoke, TrainingPreset.paper] { try p.validate() }
  }

  @Test func embeddedTextEqualsTheYAMLFiles() throws {
    let folder = Fixtures.packageRoot.appendingPathComponent("Shared/Segmentation/Presets")
    let embedded = ["paper": TrainingPreset.paperYAML, "cpu": TrainingPreset.cpuYAML, "smoke": TrainingPreset.smokeYAML]
    for name in TrainingPreset.builtInNames {
      let file = try String(contentsOf: folder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
      #expect(file == embedded[name], "Presets/\(name).yaml differs from TrainingPreset.\(name)YAML")
      #expect(try TrainingPreset(yaml: file).name == name)
    }
  }

  @Test func yamlAndJSONRoundTrip() throws {
    for name in TrainingPreset.builtInNames {
      let p = try TrainingPreset.builtIn(named: name)
      #expect(try TrainingPreset(yaml: p.yamlText) == p)
      #expect(try JSONDecoder().decode(TrainingPreset.self, from: JSONEncoder().encode(p)) == p)
    }
    var custom = TrainingPreset.smoke
    custom.iterationCap = nil
    custom.weightDecay = 1e-05
    #expect(try TrainingPreset(yaml: custom.yamlText) == custom)
  }

  @Test func acceptsScientificNotationAndOmittedCap() throws {
    let text = TrainingPreset.smokeYAML
      .replacingOccurrences(of: "weight_decay: 0.0001", with: "weight_decay: 1e-4")
      .replacingOccurrences(of: "iteration_cap: 40\n", with: "")
    let p = try TrainingPreset(yaml: text)
    #expect(abs(p.weightDecay - 1e-4) < 1e-15 && p.iterationCap == nil)
  }

  @Test func optimizerIsOptionalAndNamed() throws {
    #expect(try TrainingPreset(yaml: TrainingPreset.smokeYAML).resolvedOptimizer == .sgd)
    for kind in TrainingPreset.OptimizerKind.allCases {
      let p = try TrainingPreset(yaml: TrainingPreset.smokeYAML + "optimizer: \(kind.rawValue)\n")
      #expect(p.optimizer == kind)
      #expect(try TrainingPreset(yaml: p.yamlText) == p)
    }
    let error = failure(TrainingPreset.smokeYAML + "optimizer: rmsprop\n")
    #expect(
      error?.message.contains("'optimizer' must be one of sgd, nesterov, adam") == true, "\(String(describing: error))")
    // Checkpoints written before the key existed still decode.
    let old = try JSONEncoder().encode(TrainingPreset.smoke)
    #expect(try JSONDecoder().decode(TrainingPreset.self, from: old).optimizer == nil)
  }

  /// The error for `text`, which must fail.
  func failure(_ text: String) -> SegmentationError? {
    do { _ = try TrainingPreset(yaml: text); return nil } catch { return error as? SegmentationError }
  }

  @Test func unknownKeyNamesTheKeyAndTheAllowedKeys() {
    let e = failure(TrainingPreset.smokeYAML + "learning_rate: 0.1\n")
    #expect(e?.code == .invalidPreset)
    #expect(e?.message.contains("'learning_rate'") == true)
    #expect(e?.message.contains("base_lr") == true && e?.message.contains("validation_interval") == true)
  }

  @Test func badValuesNameTheKeyAndTheAllowedValues() {
    let smoke = TrainingPreset.smokeYAML
    let cases: [(String, String, String)] = [
      ("batch_size: 6", "batch_size: six", "an integer in 1...1024"),
      ("momentum: 0.9", "momentum: 1.5", "[0.0, 1.0)"),
      ("augmentation: true", "augmentation: maybe", "true or false"),
      ("channels: [2, 4, 8]", "channels: [2, 0, 8]", "integers in 1...4096"),
      ("dropout: [0.05, 0.1, 0.2]", "dropout: [0.05, 0.1]", "one probability per UNet level"),
      ("image_size: 32", "image_size: 30", "multiple of 4"),
      ("iteration_cap: 40", "iteration_cap: 5", "at least 'min_iterations'"),
      ("name: smoke", "name: [a]", "a non-empty name")
    ]
    for (old, new, allowed) in cases {
      let e = failure(smoke.replacingOccurrences(of: old, with: new))
      let key = String(old.prefix { $0 != ":" })
      #expect(e?.code == .invalidPreset, "\(new)")
      #expect(e?.message.contains("'\(key)'") == true, "\(e?.message ?? "no error") should name \(key)")
      #expect(e?.message.contains(allowed) == true, "\(e?.message ?? "no error") should say \(allowed)")
    }
  }

  @Test func missingKeyDuplicateKeyAndNonMappingAreRejected() {
    let missing = failure(TrainingPreset.smokeYAML.replacingOccurrences(of: "threads: 1\n", with: ""))
    #expect(missing?.message.contains("missing key 'threads'") == true)
    let twice = failure(TrainingPreset.smokeYAML + "threads: 2\n")
    #expect(twice?.code == .malformedPreset && twice?.message.contains("'threads'") == true)  // Yams rejects duplicates
    #expect(failure("- just\n- a list\n")?.code == .malformedPreset)
    #expect(failure("name: [unclosed\n")?.code == .malformedPreset)
    #expect((try? TrainingPreset.builtIn(named: "gpu")) == nil)
  }
}
