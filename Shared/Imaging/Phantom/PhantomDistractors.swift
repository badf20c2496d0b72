// Organs around the heart that some patients show and others do not. In bSSFP cine, fluid and flowing blood
// are bright and solid organs mid-grey, so each of these looks like a ventricle or the myocardium by intensity
// alone; only shape and position tell them apart. None of them is labelled.

import Foundation
import Randomness

/// Which distractor organs a patient shows, and where; lengths in pixels, directions from the LV centre.
struct PhantomDistractors: Sendable {
  /// A round structure at `angle` and `distance` from the LV centre (in the heart's frame).
  struct Disc: Sendable {
    var angle, distance, radius, intensity: Double
  }

  /// Descending aorta: a bright round vessel behind the heart on every slice (flowing blood, as the LV).
  var aorta: Disc?
  /// Liver dome: mid-grey like the myocardium, below the heart, growing toward and past the apex.
  var liver: Disc?
  /// Where along the long axis the liver dome enters the slice (it is largest below the apex).
  var liverFrom: Double
  /// Stomach with fluid content: bright, with a darker wall, at the apical slices.
  var stomach: Disc?
  /// Pericardial effusion: a bright fluid rim around the heart of this width (0 = none).
  var effusionWidth: Double
  /// Side of the heart on which the effusion collects (fluid gathers dependently, posterior and lateral).
  var effusionAngle: Double

  /// Draws a patient's distractors around a heart of outer radius `heartRadius` (pixels). Intensities are
  /// relative: `aorta` and `stomach` to the blood pool, `liver` to the myocardium.
  init(rng: inout SplitMix64, pixelsPerMM px: Double, heartRadius: Double) {
    // Prevalences loosely follow what a heart-centred short-axis crop shows: the aorta often, the liver dome in
    // the lower slices of most patients, the stomach less often, an effusion in a minority.
    let hasAorta = rng.uniform(0, 1) < 0.7, hasLiver = rng.uniform(0, 1) < 0.6
    let hasStomach = rng.uniform(0, 1) < 0.4, hasEffusion = rng.uniform(0, 1) < 0.2
    // Each organ sits a gap (mm) away from the epicardium, so it touches the heart at most, never overlaps it.
    func disc(_ angle: Double, gap: ClosedRange<Double>, radius: ClosedRange<Double>, intensity: ClosedRange<Double>)
      -> Disc
    {
      let r = rng.uniform(radius) * px
      return Disc(
        angle: angle, distance: heartRadius + rng.uniform(gap) * px + r, radius: r, intensity: rng.uniform(intensity))
    }
    let aortaAngle = 0.5 * .pi - rng.uniform(0.1, 0.5), liverAngle = 0.5 * .pi + rng.uniform(0.6, 1.0)
    let stomachAngle = 0.5 * .pi - rng.uniform(0.6, 1.1)
    aorta = hasAorta ? disc(aortaAngle, gap: 6...16, radius: 9...13, intensity: 0.8...1.0) : nil
    liver = hasLiver ? disc(liverAngle, gap: 8...22, radius: 50...70, intensity: 1.25...1.5) : nil
    liverFrom = rng.uniform(0.3, 0.7)
    stomach = hasStomach ? disc(stomachAngle, gap: 8...20, radius: 18...28, intensity: 0.7...0.92) : nil
    effusionWidth = hasEffusion ? max(1, rng.uniform(2.5, 6) * px) : 0
    effusionAngle = rng.uniform(0, 2 * .pi)
  }
}

// MARK: - Rendering

/// A distractor placed on one slice: a disc in pixels, filled with `value`, with an optional darker `wall` rim.
struct PlacedDisc: Sendable {
  var x, y, radius, value: Double
  var wall: Double?

  /// The disc's value at (px, py), or nil outside it.
  func value(_ px: Double, _ py: Double) -> Double? {
    let dx = px - x, dy = py - y
    guard abs(dx) < radius && abs(dy) < radius else { return nil }
    let r = (dx * dx + dy * dy).squareRoot()
    guard r < radius else { return nil }
    if let wall, r > radius - 1.2 { return wall }
    return value
  }
}

extension PhantomRenderer {
  /// The distractor organs cut by long-axis position `s` (0 base, 1 apex, beyond 1 below the apex), in drawing
  /// order, around the LV centre `centre`.
  func distractors(s: Double, centre: (Double, Double)) -> [PlacedDisc] {
    let d = anatomy.distractors, a = anatomy
    func place(_ disc: PhantomDistractors.Disc, radius: Double, value: Double, wall: Double? = nil) -> PlacedDisc {
      let ang = disc.angle + a.heartRotation
      return PlacedDisc(
        x: centre.0 + disc.distance * cos(ang), y: centre.1 + disc.distance * sin(ang), radius: radius,
        value: value, wall: wall)
    }
    var out = [PlacedDisc]()
    if let liver = d.liver, s > d.liverFrom {
      // The dome rises into the slice plane: its cross-section grows from nothing to full size past the apex.
      let grown = liver.radius * min(1, (s - d.liverFrom) / (1.25 - d.liverFrom)).squareRoot()
      out.append(place(liver, radius: grown, value: a.myoIntensity * liver.intensity))
    }
    if let stomach = d.stomach, s > 0.45 {
      out.append(
        place(
          stomach, radius: stomach.radius * min(1, (s - 0.45) / 0.4 + 0.3),
          value: a.lvIntensity * stomach.intensity, wall: a.myoIntensity * 1.1))
    }
    if let aorta = d.aorta { out.append(place(aorta, radius: aorta.radius, value: a.lvIntensity * aorta.intensity)) }
    return out
  }

  /// Whether background pixel (x, y) lies in the effusion rim, given its distance in pixels from the heart.
  func inEffusion(distance: Int, x: Double, y: Double, centre: (Double, Double)) -> Bool {
    let d = anatomy.distractors
    guard d.effusionWidth > 0, distance >= 1, Double(distance) <= d.effusionWidth else { return false }
    return cos(atan2(y - centre.1, x - centre.0) - d.effusionAngle) > -0.3
  }
}
