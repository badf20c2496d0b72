// Pathology groups of the phantom cohort, after ACDC's five groups, and how each one shapes the heart.

import Randomness

/// A patient's diagnostic group, named as in ACDC's `Info.cfg` (`Group:` key).
public enum PhantomGroup: String, Sendable, Codable, CaseIterable {
  /// Normal heart.
  case normal = "NOR"
  /// Dilated cardiomyopathy: large LV cavity, thin wall, poor contraction.
  case dilated = "DCM"
  /// Hypertrophic cardiomyopathy: thick wall, small cavity, strong contraction.
  case hypertrophic = "HCM"
  /// Previous myocardial infarction: a thinned, hypokinetic sector and reduced ejection.
  case infarction = "MINF"
  /// Abnormal right ventricle: enlarged RV with poor RV contraction.
  case abnormalRV = "RV"

  /// The group of patient `index`: every block of five patients holds each group once, in a seeded order, so a
  /// cohort has roughly equal shares (exactly equal for a multiple of five, as ACDC's 20 per group).
  static func assigned(patient index: Int, seed: UInt64) -> PhantomGroup {
    var rng = SplitMix64(seed: SplitMix64.derive(seed, 4, UInt64(index / allCases.count)))
    var order = allCases
    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    return order[index % allCases.count]
  }

  /// The ranges the group's anatomy is drawn from.
  var profile: PhantomGroupProfile {
    // Values follow the ACDC literature (Bernard et al., IEEE TMI 2018) in round numbers: ED cavity radius
    // (half the end-diastolic diameter), wall thickness at ED, ES/ED cavity radius ratio (EF ≈ 1 − ratio² ·
    // the long-axis shortening), systolic wall thickening, and RV size.
    switch self {
    case .normal:
      return PhantomGroupProfile(
        lvRadius: 21...26, wall: 7.5...10, esLVRatio: 0.58...0.68, esThickening: 1.35...1.6,
        rvHalfLength: 28...36, rvDepth: 11...17, esRVRatio: 0.6...0.75, apexCavityCut: 0.85...1.05)
    case .dilated:
      // EF 10–30 %: the cavity barely shrinks and the thin wall barely thickens.
      return PhantomGroupProfile(
        lvRadius: 29...36, wall: 5.5...7.5, esLVRatio: 0.84...0.93, esThickening: 1.04...1.18,
        rvHalfLength: 30...38, rvDepth: 12...18, esRVRatio: 0.7...0.85, apexCavityCut: 1.1...1.2)
    case .hypertrophic:
      // EF often above 70 %; the apical cavity closes at ES (cavity obliteration).
      return PhantomGroupProfile(
        lvRadius: 15...20, wall: 13...18, esLVRatio: 0.42...0.55, esThickening: 1.2...1.4,
        rvHalfLength: 26...33, rvDepth: 10...15, esRVRatio: 0.55...0.7, apexCavityCut: 0.6...0.8)
    case .infarction:
      // Mildly dilated, EF 30–45 %; the infarcted sector is drawn separately (PhantomAnatomy.infarct).
      return PhantomGroupProfile(
        lvRadius: 24...30, wall: 7...9.5, esLVRatio: 0.74...0.84, esThickening: 1.15...1.35,
        rvHalfLength: 28...36, rvDepth: 11...17, esRVRatio: 0.62...0.78, apexCavityCut: 0.95...1.1)
    case .abnormalRV:
      // Normal LV, dilated RV (arrhythmogenic RV cardiomyopathy or RV volume overload) with a poor RV ejection.
      return PhantomGroupProfile(
        lvRadius: 19...24, wall: 7...9.5, esLVRatio: 0.58...0.7, esThickening: 1.35...1.6,
        rvHalfLength: 40...50, rvDepth: 22...30, esRVRatio: 0.78...0.9, apexCavityCut: 0.85...1.05)
    }
  }
}

/// Ranges of one group's anatomy, in mm for lengths (converted to pixels by the patient's scanner).
struct PhantomGroupProfile: Sendable {
  var lvRadius: ClosedRange<Double>
  var wall: ClosedRange<Double>
  var esLVRatio: ClosedRange<Double>
  var esThickening: ClosedRange<Double>
  var rvHalfLength: ClosedRange<Double>
  var rvDepth: ClosedRange<Double>
  var esRVRatio: ClosedRange<Double>
  var apexCavityCut: ClosedRange<Double>
}

extension SplitMix64 {
  /// A uniform draw from a closed range (its upper end has probability zero).
  mutating func uniform(_ range: ClosedRange<Double>) -> Double { uniform(range.lowerBound, range.upperBound) }
}
