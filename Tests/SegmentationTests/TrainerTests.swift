// SegmentationTrainer on the smoke preset: determinism, the LR schedule and validation cadence seen through the
// progress callback, best-checkpoint bookkeeping, cancellation and input checks.

import Randomness
import Segmentation
import Testing

@Suite struct TrainerTests {
  static let slices = SyntheticDisks.trainingSlices(8, size: 40, seed: 11)
  static let validation = SyntheticDisks.volumes(2, depth: 3, size: 40, seed: 12)

  static func scribbles() -> [TrainingSlice] {
    slices.map { TrainingSlice(image: $0.image, label: SyntheticDisks.scribble($0.label)) }
  }

  func trainer(_ kind: AnnotationKind, seed: UInt64, member: Int = 0) -> SegmentationTrainer {
    SegmentationTrainer(preset: .smoke, classes: 2, kind: kind, seed: seed, member: member)
  }

  @Test(arguments: AnnotationKind.allCases)
  func sameSeedSameLossCurve(kind: AnnotationKind) throws {
    let data = kind == .full ? Self.slices : Self.scribbles()
    let a = try trainer(kind, seed: 3).train(slices: data, validation: Self.validation, labeledFraction: 0.05)
    let b = try trainer(kind, seed: 3).train(slices: data, validation: Self.validation, labeledFraction: 0.05)
    let c = try trainer(kind, seed: 3, member: 1).train(
      slices: data, validation: Self.validation, labeledFraction: 0.05)
    #expect(a.completedIterations == 20 && a.losses.count == 20)
    #expect(a.losses == b.losses, "same seed must give the same loss curve")
    let (ma, mb) = (try SegmentationModel(checkpoint: a.checkpoint), try SegmentationModel(checkpoint: b.checkpoint))
    let sameWeights = ma.store.names.allSatisfy { ma.store[$0].data == mb.store[$0].data }
    #expect(sameWeights && ma.config == mb.config)
    #expect(a.losses != c.losses, "another ensemble member must draw other random numbers")
    #expect(a.losses.allSatisfy { $0.isFinite && $0 > 0 })
  }

  @Test func eachOptimiserTrainsAndTheyDiffer() throws {
    var curves: [[Float]] = []
    for kind in TrainingPreset.OptimizerKind.allCases {
      var preset = TrainingPreset.smoke
      preset.optimizer = kind
      if kind == .adam { preset.baseLearningRate = 1e-3 }
      let result = try SegmentationTrainer(preset: preset, classes: 2, kind: .full, seed: 3)
        .train(slices: Self.slices, validation: Self.validation, labeledFraction: 0.05)
      #expect(result.losses.count == 20 && result.losses.allSatisfy { $0.isFinite && $0 > 0 }, "\(kind)")
      curves.append(result.losses)
    }
    #expect(
      curves[0] != curves[1] && curves[0] != curves[2] && curves[1] != curves[2],
      "sgd, nesterov and adam step differently")
  }

  @Test func progressShowsPolyScheduleAndValidationCadence() throws {
    var reports: [TrainingProgress] = []
    let result = try trainer(.full, seed: 4).train(
      slices: Self.slices, validation: Self.validation, iterations: 25,
      progress: { reports.append($0) })
    #expect(reports.map(\.iteration) == Array(1...25))
    let schedule = TrainingPreset.smoke.schedule(iterations: 25)
    #expect(abs(reports[0].learningRate - 0.01) < 1e-9 && abs(reports[1].learningRate - 0.01) < 1e-9)
    for r in reports.dropFirst() {
      #expect(abs(r.learningRate - schedule.learningRate(at: r.iteration - 2)) < 1e-9)
    }
    #expect(reports.compactMap { $0.validationDice == nil ? nil : $0.iteration } == [10, 20, 25])
    #expect(result.validations.map(\.iteration) == [10, 20, 25])
    let best = result.validations.map(\.meanDice).max()!
    #expect(abs(result.bestMetrics!.meanDice - best) < 1e-12)
    #expect(result.validations.first { $0.meanDice == best }!.iteration == result.bestIteration)
    #expect(abs(reports.last!.bestDice - best) < 1e-12)
    // the checkpoint holds the best model: evaluating it again gives the best metrics
    let model = try SegmentationModel(checkpoint: result.checkpoint)
    #expect(model.config.kind == .full && model.config.preset == .smoke && model.config.seed == 4)
    #expect(abs(model.evaluate(Self.validation).meanDice - best) < 1e-12)
  }

  @Test func cancellationStopsTraining() {
    var steps = 0
    do {
      _ = try trainer(.scribble, seed: 5).train(
        slices: Self.scribbles(), validation: [], iterations: 30,
        progress: { _ in steps += 1 }, isCancelled: { steps >= 3 })
      Issue.record("training should have been cancelled")
    } catch let error as SegmentationError {
      #expect(error.code == .cancelled && error.message.contains("after 3 of 30"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func withoutValidationTheFinalModelIsReturned() throws {
    let result = try trainer(.full, seed: 6).train(slices: Array(Self.slices.prefix(2)), validation: [], iterations: 3)
    #expect(result.bestMetrics == nil && result.bestIteration == 3 && result.validations.isEmpty)
    #expect(try SegmentationModel(checkpoint: result.checkpoint).config.member == 0)
  }

  @Test func slicesOfDifferentSizesTrainTogether() throws {
    var rng = SplitMix64(seed: 13)
    let sizes = [(40, 40), (27, 45), (64, 33)]
    let slices = sizes.map { (h, w) -> TrainingSlice in
      let image = (0..<(h * w)).map { _ in Float(rng.uniform(0, 1)) }
      let label = (0..<(h * w)).map { i in UInt8((i / w) * 2 < h ? 1 : 0) }
      return TrainingSlice(height: h, width: w, image: image, label: label)
    }
    let volume = LabeledVolume(
      depth: 2, height: 27, width: 45, image: Array(slices[1].image.values + slices[1].image.values),
      label: Array(slices[1].label.values + slices[1].label.values))
    let result = try trainer(.full, seed: 8).train(slices: slices, validation: [volume], iterations: 4)
    #expect(result.completedIterations == 4 && result.validations.map(\.iteration) == [4])
    #expect(result.bestMetrics!.volumes.count == 1 && result.bestMetrics!.perClass.count == 1)
  }

  @Test func badInputsAreRejectedWithTheReason() {
    var bad = Self.slices
    bad[1].label.values[0] = 7
    let cases: [(SegmentationTrainer, [TrainingSlice], String)] = [
      (trainer(.full, seed: 1), bad, "training slice 1 has label value 7"),
      (trainer(.full, seed: 1), [], "no labeled training slices"),
      (SegmentationTrainer(preset: .smoke, classes: 5, kind: .full, seed: 1), Self.slices, "classes must be in 2...4")
    ]
    for (t, data, message) in cases {
      do {
        _ = try t.train(slices: data, validation: Self.validation, iterations: 1)
        Issue.record("expected an error containing \(message)")
      } catch let error as SegmentationError {
        #expect(error.code == .invalidData && error.message.contains(message), "\(error)")
      } catch { Issue.record("unexpected \(error)") }
    }
  }
}
