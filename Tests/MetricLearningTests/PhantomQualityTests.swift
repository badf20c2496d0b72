// The quality check of issue #5 on the phantom cohort: after a short group-contrastive training of the tiny encoder,
// each slice's 5 nearest neighbours in embedding space come from its own volume clearly more often than with the
// untrained encoder.

import MetricLearning
import Testing

@Suite struct PhantomQualityTests {
  /// 6 patients × ED/ES × 6 slices at 32×32 (72 slices, 12 volumes; chance level 5/71 ≈ 0.07), the paper's
  /// augmentation, sampler and losses, 8 epochs at lr 3e-3 (the paper's 3e-4 needs far more epochs).
  ///
  /// Margin: over training seeds 0–7 (release runs, same data) the untrained encoder scored 0.28–0.32 and the
  /// trained one 0.39–0.49, a gain of 0.097–0.194 (seed 0, used here: 0.322 → 0.431). Requiring +0.05, half the
  /// smallest gain seen, keeps the test robust to seed and rounding changes while still failing when training does
  /// not group volumes. Smaller settings (16×16, or 6 epochs) gave gains down to 0.05 or below, too close to any
  /// margin.
  @Test func trainingGathersPhantomVolumesInEmbeddingSpace() throws {
    let data = PhantomSlices(patients: 6, slices: 6, size: 32, seed: 1)
    let config = ContrastiveTrainingConfig(
      encoder: .tiny, sampler: .acdc, loss: .acdcPaper, augmentation: .paper,
      epochs: 8, learningRate: 3e-3, seed: 0)
    let p = try PurityBeforeAfter(config: config, images: data.images, keys: data.keys, volumeLabels: data.volumeLabels)
    print("phantom 5-NN same-volume fraction: untrained \(p.untrained), trained \(p.trained); losses \(p.losses)")
    #expect(p.trained > p.untrained + 0.05, "untrained \(p.untrained), trained \(p.trained)")
  }
}
