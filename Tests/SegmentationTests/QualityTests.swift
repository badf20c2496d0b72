// Quality check on a toy task (bright disks = class 1, dark disks = class 2, one disk per slice): with the same
// budget of SGD steps, training on many labeled slices reaches a clearly higher validation Dice than training on
// one slice, which can show only one of the two classes.

import Segmentation
import Testing

@Suite struct QualityTests {
  @Test func moreLabeledSlicesGiveHigherDice() throws {
    var preset = TrainingPreset.smoke
    preset.channels = [4, 8, 16]
    preset.validationInterval = 20
    preset.baseLearningRate = 0.05
    let validation = SyntheticDisks.volumes(3, depth: 4, size: 32, classes: 3, seed: 21)
    let pool = SyntheticDisks.trainingSlices(24, size: 32, classes: 3, seed: 22)
    func dice(_ slices: [TrainingSlice]) throws -> Double {
      let trainer = SegmentationTrainer(preset: preset, classes: 3, kind: .full, seed: 5)
      return try trainer.train(slices: slices, validation: validation, iterations: 100).bestMetrics!.meanDice
    }
    let few = try dice(Array(pool.prefix(1))), many = try dice(pool)
    print("QualityTests: validation Dice with 1 labeled slice \(few), with 24 labeled slices \(many)")
    #expect(many > few + 0.2, "24 slices: \(many), 1 slice: \(few)")
  }
}
