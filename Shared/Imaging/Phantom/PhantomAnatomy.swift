// Per-patient random anatomy and appearance of the phantom cohort, drawn once from the patient's seed.

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

/// Everything random about one patient, shared by its ED and ES volumes.
struct PhantomAnatomy: Sendable {
  // Geometry, in pixels at the basal ED slice.
  var centerX, centerY: Double
  var driftX, driftY: Double            // centre shift from base to apex
  var lvRadius: Double
  var lvAspect: Double                  // ellipse ratio of the LV
  var rotation: Double
  var myoThickness: Double
  var lvShape: RadialShape
  var epiShape: RadialShape
  var rvAngle: Double                   // direction of the RV seen from the LV centre
  var rvSpan: Double                    // RV length along the septum, relative to the epicardial radius
  var rvDepth: Double                   // RV width away from the septum, relative to the LV radius
  var rvApexCut: Double                 // fraction of the base-to-apex axis after which the RV vanishes
  var apexScale: Double                 // LV radius at the apex relative to the base
  var esLVScale, esRVScale, esThickening: Double
  var apexCavityCut: Double             // beyond this fraction the LV cavity may close at ES
  // Appearance.
  var lvIntensity, rvIntensity, myoIntensity, tissueIntensity, fatIntensity: Double
  var bodyRX, bodyRY: Double
  var blobs: [TissueBlob]
  var gain, gamma: Double
  var biasCoefficients: [Double]        // smooth multiplicative field: 1 + Σ c_i · basis_i(x, y)
  var noiseScale: Double
  var slices: Int

  init(rng: inout SplitMix64, parameters p: PhantomParameters) {
    let n = Double(min(p.height, p.width))
    centerX = Double(p.width) * rng.uniform(0.40, 0.60)
    centerY = Double(p.height) * rng.uniform(0.40, 0.60)
    driftX = n * rng.uniform(-0.04, 0.04)
    driftY = n * rng.uniform(-0.04, 0.04)
    lvRadius = n * rng.uniform(0.065, 0.125)
    lvAspect = rng.uniform(0.78, 1.22)
    rotation = rng.uniform(0, .pi)
    myoThickness = n * rng.uniform(0.018, 0.045)
    lvShape = RadialShape(rng: &rng, irregularity: 0.10)
    epiShape = RadialShape(rng: &rng, irregularity: 0.07)
    rvAngle = rng.uniform(0.65, 1.35) * .pi
    rvSpan = rng.uniform(1.15, 1.7)
    rvDepth = rng.uniform(0.5, 1.1)
    rvApexCut = rng.uniform(0.55, 0.95)
    apexScale = rng.uniform(0.15, 0.45)
    esLVScale = rng.uniform(0.58, 0.82)
    esRVScale = rng.uniform(0.6, 0.85)
    esThickening = rng.uniform(1.15, 1.6)
    apexCavityCut = rng.uniform(0.8, 1.05)
    lvIntensity = rng.uniform(0.65, 1.0)
    rvIntensity = lvIntensity * rng.uniform(0.75, 1.05)
    myoIntensity = rng.uniform(0.12, 0.38)
    tissueIntensity = rng.uniform(0.15, 0.45)
    fatIntensity = rng.uniform(0.55, 0.95)
    bodyRX = rng.uniform(0.38, 0.49)
    bodyRY = rng.uniform(0.32, 0.45)
    let blobCount = Int(rng.uniform(6, 14))
    blobs = (0..<blobCount).map { _ in
      TissueBlob(cx: rng.uniform(0.15, 0.85), cy: rng.uniform(0.15, 0.85), rx: rng.uniform(0.03, 0.12),
                 ry: rng.uniform(0.02, 0.09), angle: rng.uniform(0, .pi), intensity: rng.uniform(0.0, 0.95))
    }
    gain = rng.uniform(0.6, 1.6)
    gamma = rng.uniform(0.75, 1.35)
    biasCoefficients = (0..<5).map { _ in rng.uniform(-0.25, 0.25) }
    noiseScale = rng.uniform(0.7, 1.4)
    slices = p.minSlices + Int(rng.next() % UInt64(p.maxSlices - p.minSlices + 1))
  }
}
