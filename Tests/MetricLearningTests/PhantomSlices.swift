// The phantom cohort as the embedder sees it from storage: each volume clipped and min–max normalised (method
// spec §6), every slice nearest-resized to the training size, one SliceKey per slice (volume 1 = ED, 0 = ES).

import Imaging
import MetricLearning

/// Unlabelled training slices of a small phantom cohort with their grouping keys and volume ids.
struct PhantomSlices {
  var images: [GrayImage] = []
  var keys: [SliceKey] = []
  /// Volume id of each slice (2 · patient + volume).
  var volumeLabels: [Int] = []

  /// `patients` patients of `slices` slices each, generated at 32×32 (the generator's smallest size) and resized to
  /// `size`×`size`.
  init(patients: Int, slices: Int, size: Int, seed: UInt64) {
    let cohort = PhantomCohort(
      parameters: PhantomParameters(
        patients: patients, minSlices: slices, maxSlices: slices,
        height: 32, width: 32, seed: seed))
    for p in 0..<patients {
      for phase in CardiacPhase.allCases {
        let volume = cohort.volume(patient: p, phase: phase)
        let v = phase == .ed ? 1 : 0
        let pixels = IntensityNormalization.normalize(volume.image, kind: .float32)
        let n = volume.height * volume.width
        for z in 0..<volume.depth {
          let slice = NearestResize.resize(
            Array(pixels[(z * n)..<((z + 1) * n)]), height: volume.height,
            width: volume.width, outHeight: size, outWidth: size)
          images.append(GrayImage(height: size, width: size, pixels: slice))
          keys.append(SliceKey(patient: p, volume: v, position: z))
          volumeLabels.append(2 * p + v)
        }
      }
    }
  }
}
