// Seeded patient-level train/val/test split, used when a source has no split of its own.

import Imaging
import Randomness

/// Assigns patients to splits.
public enum PatientSplit {
  /// Shuffles the sorted ids with `seed` (Fisher–Yates over SplitMix64) and cuts them by `fractions`
  /// (train, val, test). Counts are rounded; train keeps at least one patient when there is one, and a split
  /// with a non-zero fraction gets at least one while train keeps one (so 3 patients give 1 / 1 / 1).
  public static func assign(_ patientIDs: [String], fractions: [Double], seed: UInt64) -> [String: DatasetSplit] {
    var ids = Array(Set(patientIDs)).sorted()
    var rng = SplitMix64(seed: seed)
    if ids.count > 1 {
      for i in stride(from: ids.count - 1, to: 0, by: -1) {
        ids.swapAt(i, Int(rng.next() % UInt64(i + 1)))
      }
    }
    let total = fractions.reduce(0, +), n = Double(ids.count)
    var nTest = Int((n * fractions[2] / total).rounded())
    var nVal = Int((n * fractions[1] / total).rounded())
    while nTest + nVal >= ids.count && ids.count > 0 && nTest + nVal > 0 {
      if nVal >= nTest && nVal > 0 { nVal -= 1 } else { nTest -= 1 }
    }
    if fractions[1] > 0 && nVal == 0 && ids.count - nTest >= 2 { nVal = 1 }
    if fractions[2] > 0 && nTest == 0 && ids.count - nVal >= 2 { nTest = 1 }
    var out = [String: DatasetSplit]()
    for (i, id) in ids.enumerated() {
      out[id] = i < nTest ? .test : i < nTest + nVal ? .val : .train
    }
    return out
  }

  /// Splits the patients without a known split, keeping the known ones. When some patients already are
  /// test patients (e.g. ACDC's testing folder), the rest are divided between train and val only.
  public static func complete(
    known: [String: DatasetSplit], all patientIDs: [String], fractions: [Double],
    seed: UInt64
  ) -> [String: DatasetSplit] {
    let unknown = patientIDs.filter { known[$0] == nil }
    var effective = fractions
    if known.values.contains(.test) { effective[2] = 0 }
    if known.values.contains(.val) { effective[1] = 0 }
    if effective.reduce(0, +) == 0 { effective = [1, 0, 0] }
    return known.merging(assign(unknown, fractions: effective, seed: seed)) { k, _ in k }
  }
}
