// Per-patient random anatomy and appearance of the phantom cohort, drawn once from the patient's seed, its
// pathology group and its scanner. Lengths are drawn in mm and stored in pixels of the patient's scanner.

import Foundation
import Randomness

/// A closed curve's radius as a function of angle: r(θ) = 1 + Σ a_k cos(kθ + φ_k), k = 2…4.
struct RadialShape: Sendable {
  var amplitudes: [Double]
  var phases: [Double]

  init(rng: inout SplitMix64, irregularity: Double) {
    amplitudes = (0..<3).map { _ in rng.uniform(0, irregularity) }
    phases = (0..<3).map { _ in rng.uniform(0, 2 * .pi) }
  }

  func factor(_ theta: Double) -> Double {
    var f = 1.0
    for k in 0..<amplitudes.count { f += amplitudes[k] * cos(Double(k + 2) * theta + phases[k]) }
    return f
  }
}

/// A background tissue blob (an ellipse with a soft edge), in fractions of the image size.
struct TissueBlob: Sendable {
  var cx, cy, rx, ry, angle, intensity: Double
}

/// The infarcted sector of a MINF patient: thinner, and hardly thickening or moving inward at ES.
struct InfarctSector: Sendable {
  var angle: Double  // centre of the sector, in the LV's own frame
  var halfWidth: Double  // half the sector's angle (a coronary territory: 40–65°)
  var thinning: Double  // fraction of the wall thickness lost at the sector's centre
  var from: Double  // long-axis position where the scar starts (it runs to the apex)

  /// 0 outside the sector, rising smoothly to 1 at its centre, for angle `theta` at long-axis position `s`.
  func weight(_ theta: Double, _ s: Double) -> Double {
    guard s >= from else { return 0 }
    let c = cos(theta - angle), edge = cos(halfWidth)
    return c <= edge ? 0 : min(1, 2 * (c - edge) / (1 - edge))
  }
}

/// Everything random about one patient, shared by its ED and ES volumes.
struct PhantomAnatomy: Sendable {
  var group: PhantomGroup
  var scanner: PhantomScanner
  /// Pixel spacing in mm (both axes).
  var pixelSpacing: Double
  // Stack: `basePad` slices above the base (atria, outflow), `heartSlices` from base to apex, `apexPad` below it.
  var slices, basePad, heartSlices, apexPad: Int
  var baseSliver: Bool  // the slice just above the base shows a crescent of basal myocardium
  // Geometry, in pixels at the basal ED slice.
  var centerX, centerY: Double
  var driftX, driftY: Double  // centre shift from base to apex
  var lvRadius: Double
  var lvAspect: Double  // ellipse ratio of the LV
  var rotation: Double  // orientation of the LV ellipse and its shape harmonics
  var heartRotation: Double  // in-plane rotation of the whole heart (RV direction, fat, atria)
  var myoThickness: Double
  var lvShape: RadialShape
  var epiShape: RadialShape
  var rvAngle: Double  // direction of the RV seen from the LV centre
  var rvHalfLength: Double  // RV half length along the septum
  var rvDepth: Double  // RV width away from the septum
  var rvApexCut: Double  // fraction of the base-to-apex axis after which the RV vanishes
  var apexScale: Double  // LV radius at the apex relative to the base
  var esLVScale, esRVScale, esThickening: Double
  var apexCavityCut: Double  // beyond this fraction the LV cavity closes at ES
  var infarct: InfarctSector?
  var distractors: PhantomDistractors
  // Appearance.
  var lvIntensity, rvIntensity, myoIntensity, tissueIntensity, fatIntensity: Double
  var bodyRX, bodyRY: Double
  var blobs: [TissueBlob]
  var gain, gamma: Double
  var biasCoefficients: [Double]  // smooth multiplicative field: 1 + Σ c_i · basis_i(x, y)
  var noiseScale: Double
  var blurSigma: Double  // partial-volume blur in pixels

  init(rng: inout SplitMix64, parameters p: PhantomParameters, group: PhantomGroup, scanner: PhantomScanner) {
    self.group = group
    self.scanner = scanner
    let size = min(p.height, p.width)
    pixelSpacing = scanner.pixelSpacing(size: size)
    // Body habitus: hearts of the same group still differ in size (ACDC's height and weight vary widely).
    let px = rng.uniform(0.9, 1.1) / pixelSpacing
    let profile = group.profile

    slices = Self.sliceCount(rng: &rng, parameters: p)
    // ACDC stacks cover the whole LV and usually overshoot: the first slice often lies in the atria or the
    // outflow tract, the last below the apex. Short stacks (small test settings) keep every slice on the heart.
    basePad = slices >= 8 ? (rng.uniform(0, 1) < 0.35 ? 2 : 1) : (slices >= 5 ? 1 : 0)
    apexPad = slices >= 8 ? (rng.uniform(0, 1) < 0.4 ? 2 : 1) : (slices >= 5 ? 1 : 0)
    heartSlices = slices - basePad - apexPad
    baseSliver = rng.uniform(0, 1) < 0.5

    // Position: cropped around the heart, LV right of centre and RV left as in ACDC's display.
    centerX = Double(p.width) * rng.uniform(0.47, 0.6)
    centerY = Double(p.height) * rng.uniform(0.42, 0.58)
    driftX = Double(size) * rng.uniform(-0.04, 0.04)
    driftY = Double(size) * rng.uniform(-0.04, 0.04)
    lvRadius = rng.uniform(profile.lvRadius) * px
    lvAspect = rng.uniform(0.82, 1.18)
    rotation = rng.uniform(0, .pi)
    heartRotation = rng.uniform(-0.6, 0.6)
    myoThickness = rng.uniform(profile.wall) * px
    lvShape = RadialShape(rng: &rng, irregularity: 0.08)
    epiShape = RadialShape(rng: &rng, irregularity: 0.06)
    rvAngle = .pi + heartRotation + rng.uniform(-0.2, 0.2)
    rvHalfLength = rng.uniform(profile.rvHalfLength) * px
    rvDepth = rng.uniform(profile.rvDepth) * px
    rvApexCut = rng.uniform(0.6, 0.95)
    apexScale = rng.uniform(0.15, 0.45)
    esLVScale = rng.uniform(profile.esLVRatio)
    esRVScale = rng.uniform(profile.esRVRatio)
    esThickening = rng.uniform(profile.esThickening)
    apexCavityCut = rng.uniform(profile.apexCavityCut)
    infarct =
      group == .infarction
      ? InfarctSector(
        angle: rng.uniform(0, 2 * .pi), halfWidth: rng.uniform(0.7, 1.15), thinning: rng.uniform(0.4, 0.6),
        from: rng.uniform(0, 0.4))
      : nil
    distractors = PhantomDistractors(rng: &rng, pixelsPerMM: px, heartRadius: lvRadius + myoThickness)

    // Appearance: bSSFP cine, blood bright and myocardium dark; the scanner scales each tissue's contrast.
    lvIntensity = rng.uniform(0.7, 1.0) * scanner.bloodGain
    rvIntensity = lvIntensity * rng.uniform(0.78, 1.02)
    myoIntensity = rng.uniform(0.14, 0.34) * scanner.myoGain
    tissueIntensity = rng.uniform(0.15, 0.4) * scanner.tissueGain
    fatIntensity = rng.uniform(0.55, 0.9)
    bodyRX = rng.uniform(0.38, 0.49)
    bodyRY = rng.uniform(0.32, 0.45)
    let blobCount = Int(rng.uniform(6, 14))
    blobs = (0..<blobCount).map { _ in
      TissueBlob(
        cx: rng.uniform(0.15, 0.85), cy: rng.uniform(0.15, 0.85), rx: rng.uniform(0.03, 0.12),
        ry: rng.uniform(0.02, 0.09), angle: rng.uniform(0, .pi), intensity: rng.uniform(0.0, 0.8))
    }
    gain = rng.uniform(0.6, 1.6)
    gamma = rng.uniform(scanner.gamma)
    biasCoefficients = (0..<5).map { _ in rng.uniform(-scanner.biasStrength, scanner.biasStrength) }
    noiseScale = rng.uniform(0.85, 1.15) * scanner.noiseFactor
    blurSigma = scanner.blurSigma(spacing: pixelSpacing)
  }

  /// A slice count in `minSlices...maxSlices`, mostly 8–12 as in ACDC (range about 6–18): three in four
  /// patients fall in the common band (clipped to the allowed range), the rest anywhere in the range.
  static func sliceCount(rng: inout SplitMix64, parameters p: PhantomParameters) -> Int {
    let low = max(p.minSlices, 8), high = min(p.maxSlices, 12)
    let common = low <= high && rng.uniform(0, 1) < 0.75
    let (a, b) = common ? (low, high) : (p.minSlices, p.maxSlices)
    return a + Int(rng.next() % UInt64(b - a + 1))
  }
}
