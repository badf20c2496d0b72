// Renders one short-axis slice of a phantom patient: the label mask from the anatomy, then the image
// (tissue, clutter blobs, distractor organs, fat, effusion, papillary muscles, atria above the base, scanner
// blur, gamma, bias field, Rician noise).

import Foundation
import Randomness

/// Draws the mask and raw intensities of one slice of one phantom volume.
struct PhantomRenderer {
  let anatomy: PhantomAnatomy
  let parameters: PhantomParameters
  let phase: CardiacPhase

  /// Position along the long axis: 0 at the base, 1 at the apex, negative above the base, above 1 below the apex.
  func axialPosition(_ z: Int) -> Double {
    Double(z - anatomy.basePad) / Double(max(anatomy.heartSlices - 1, 1))
  }

  /// The LV centre on slice position `s`.
  func centre(_ s: Double) -> (Double, Double) {
    let t = min(max(s, 0), 1)
    return (anatomy.centerX + anatomy.driftX * t, anatomy.centerY + anatomy.driftY * t)
  }

  // MARK: - Labels

  /// The label mask (height × width) of slice `z`.
  func label(slice z: Int) -> [UInt8] {
    let a = anatomy, s = axialPosition(z)
    let w = parameters.width, h = parameters.height
    var out = [UInt8](repeating: CardiacLabel.background, count: w * h)
    // Above the base only a crescent of basal myocardium may reach into the slice; below the apex, nothing.
    if s < 0 {
      if z == a.basePad - 1 && a.baseSliver { drawBaseSliver(&out) }
      return out
    }
    if s > 1 { return out }
    let ed = phase == .ed
    let shrink = 1 - (1 - a.apexScale) * pow(s, 1.5)
    var rLV = a.lvRadius * shrink * (ed ? 1 : a.esLVScale)
    if (!ed && s > a.apexCavityCut) || rLV < 1.2 { rLV = 0 }
    let wall = a.myoThickness * (1 - 0.2 * s)
    let thick = wall * (ed ? 1 : a.esThickening)
    let (cx, cy) = centre(s)
    let cosR = cos(a.rotation), sinR = sin(a.rotation)
    // RV: an ellipse leaning on the septum, shrinking toward the apex and vanishing after rvApexCut.
    let rvScale = s < a.rvApexCut ? (1 - s / a.rvApexCut).squareRoot() * (ed ? 1 : a.esRVScale) : 0
    let epiMean = max(rLV, 0.6 * a.lvRadius * shrink) + thick
    let dirX = cos(a.rvAngle), dirY = sin(a.rvAngle)
    let rvCX = cx + dirX * 0.55 * epiMean, rvCY = cy + dirY * 0.55 * epiMean
    let rvRadial = 0.45 * epiMean + a.rvDepth * rvScale
    let rvTangent = max(a.rvHalfLength * shrink * max(rvScale, 0.35), 1)
    // No point outside this radius can be LV or myocardium (shape factors stay below 1.5, and the
    // infarct's hypokinesia widens the ES cavity by at most 1/esLVScale).
    let outerBound = 1.5 * (rLV / a.esLVScale + 1.6 * thick) + 1
    let rvReach = rvRadial + rvTangent
    for y in 0..<h {
      for x in 0..<w {
        let dx = Double(x) - cx, dy = Double(y) - cy
        let u = dx * cosR + dy * sinR, v = (-dx * sinR + dy * cosR) / a.lvAspect
        let rho = (u * u + v * v).squareRoot()
        if rho <= outerBound {
          let theta = atan2(v, u)
          var endo = rLV * a.lvShape.factor(theta)
          var myo = thick
          if let infarct = a.infarct {
            // The scar is thinner and hypokinetic: at ES it neither thickens nor moves inward as the rest does.
            let k = infarct.weight(theta, s)
            myo = wall * (1 - infarct.thinning * k) * (ed ? 1 : 1 + (a.esThickening - 1) * (1 - k))
            if !ed { endo *= 1 + (1 / a.esLVScale - 1) * 0.6 * k }
          }
          let epi = (rLV > 0 ? endo : 0) + myo * a.epiShape.factor(theta) * (rLV > 0 ? 1 : 1.6)
          if rho < endo {
            out[y * w + x] = CardiacLabel.leftVentricle
            continue
          }
          if rho < epi {
            out[y * w + x] = CardiacLabel.myocardium
            continue
          }
        }
        if rvScale > 0 && abs(Double(x) - rvCX) <= rvReach && abs(Double(y) - rvCY) <= rvReach {
          let px = Double(x) - rvCX, py = Double(y) - rvCY
          let radial = px * dirX + py * dirY, tangent = -px * dirY + py * dirX
          let q = (radial / rvRadial) * (radial / rvRadial) + (tangent / rvTangent) * (tangent / rvTangent)
          if q < 1 { out[y * w + x] = CardiacLabel.rightVentricle }
        }
      }
    }
    return out
  }

  /// The basal crescent just above the base: part of the myocardial ring (the rest is outflow tract and atria).
  private func drawBaseSliver(_ out: inout [UInt8]) {
    let a = anatomy, w = parameters.width, h = parameters.height
    let (cx, cy) = centre(0)
    let outer = a.lvRadius + a.myoThickness, inner = a.lvRadius + 0.3 * a.myoThickness
    let start = a.heartRotation + 0.5 * .pi  // the inferolateral wall reaches highest
    for y in 0..<h {
      for x in 0..<w {
        let dx = Double(x) - cx, dy = Double(y) - cy
        let r = (dx * dx + dy * dy).squareRoot()
        if r >= inner && r < outer && cos(atan2(dy, dx) - start) > 0.55 { out[y * w + x] = CardiacLabel.myocardium }
      }
    }
  }

  // MARK: - Image

  /// Raw (unnormalised, MRI-like magnitude) intensities of slice `z`, given its mask.
  func image(slice z: Int, label: [UInt8], rng: inout SplitMix64) -> [Float] {
    let a = anatomy, w = parameters.width, h = parameters.height
    let fw = Double(w), fh = Double(h)
    var clean = [Double](repeating: 0, count: w * h)
    let s = axialPosition(z)
    let (cx, cy) = centre(s)
    let papillaryAngle = a.rotation + 0.8
    let sliceGain = rng.uniform(0.93, 1.07)
    // The body and its clutter scale with the scanner's pixel spacing, as the heart does.
    let zoom = a.scanner.spacingFactor
    let blobs = a.blobs.map { b in
      (b: b, c: cos(b.angle), s: sin(b.angle), reach: 1.15 * max(b.rx, b.ry))
    }
    let heartReach = 2.5 * (a.lvRadius + a.myoThickness) + 3
    let organs = distractors(s: s, centre: (cx, cy))
    let hasHeart = label.contains { $0 != CardiacLabel.background }
    let fromHeart =
      hasHeart && a.distractors.effusionWidth > 0
      ? ScribbleGenerator.cityBlockDistance(
        label.map { $0 == CardiacLabel.background }, height: h, width: w,
        borderCounts: false)
      : []
    for y in 0..<h {
      for x in 0..<w {
        let i = y * w + x
        let nx = (Double(x) / fw - 0.5) * zoom, ny = (Double(y) / fh - 0.5) * zoom
        let bx = nx / a.bodyRX, by = ny / a.bodyRY
        var value = bx * bx + by * by < 1 ? a.tissueIntensity : 0.02
        if value > 0.02 {
          for (b, c, sn, reach) in blobs {
            let px = nx + 0.5 - b.cx, py = ny + 0.5 - b.cy
            if abs(px) > reach || abs(py) > reach { continue }
            let u = (px * c + py * sn) / b.rx
            let v = (-px * sn + py * c) / b.ry
            let r2 = u * u + v * v
            if r2 < 1.3 { value += (b.intensity - value) * min(1, max(0, (1.3 - r2) / 0.6)) }
          }
          for organ in organs { if let v = organ.value(Double(x), Double(y)) { value = v } }
        }
        switch label[i] {
        case CardiacLabel.leftVentricle:
          value = a.lvIntensity
          // Two dark papillary muscles inside the cavity (labelled LV, as in ACDC).
          for k in 0..<2 {
            let ang = papillaryAngle + Double(k) * 1.9
            let r = a.lvRadius * (phase == .ed ? 0.55 : 0.4)
            let px = Double(x) - (cx + r * cos(ang)), py = Double(y) - (cy + r * sin(ang))
            if px * px + py * py < pow(a.lvRadius * 0.18, 2) { value = a.myoIntensity * 1.2 }
          }
        case CardiacLabel.myocardium: value = a.myoIntensity
        case CardiacLabel.rightVentricle: value = a.rvIntensity
        default:
          if s < 0 { value = atriumValue(value, x: Double(x), y: Double(y), s: s) }
          if !fromHeart.isEmpty && inEffusion(distance: fromHeart[i], x: Double(x), y: Double(y), centre: (cx, cy)) {
            value = a.lvIntensity * 0.85
          } else if abs(Double(x) - cx) < heartReach && abs(Double(y) - cy) < heartReach
            && hasForegroundNeighbour(label, x, y, w, h)
          {
            // Epicardial fat: a bright band touching the heart on one side.
            let ang = atan2(Double(y) - cy, Double(x) - cx)
            if cos(ang - a.rotation) > 0.2 { value = a.fatIntensity }
          }
        }
        clean[i] = value
      }
    }
    let blurred = gaussianBlur(clean, w, h, sigma: a.blurSigma)
    var out = [Float](repeating: 0, count: w * h)
    let sigma = parameters.noiseLevel * a.noiseScale * a.lvIntensity
    let c = a.biasCoefficients
    for y in 0..<h {
      for x in 0..<w {
        let i = y * w + x
        let X = 2 * Double(x) / fw - 1, Y = 2 * Double(y) / fh - 1
        let bias = max(0.3, 1 + c[0] * X + c[1] * Y + c[2] * X * Y + c[3] * (X * X - 0.33) + c[4] * (Y * Y - 0.33))
        let signal = pow(max(blurred[i], 0), a.gamma) * bias * sliceGain
        let n1 = sigma * rng.normal(), n2 = sigma * rng.normal()
        let magnitude = ((signal + n1) * (signal + n1) + n2 * n2).squareRoot()
        out[i] = Float(magnitude * a.gain * 800)
      }
    }
    return out
  }

  /// Above the base the slice cuts the atria and the aortic root: bright blood pools with no label, around where
  /// the ventricles were. They are why basal slices are hard in ACDC.
  private func atriumValue(_ value: Double, x: Double, y: Double, s: Double) -> Double {
    let a = anatomy, (cx, cy) = centre(0)
    let pools: [(angle: Double, distance: Double, radius: Double, intensity: Double)] = [
      (0.5 * .pi, 0.5, 0.85, a.lvIntensity * 0.95),  // left atrium, posterior
      (.pi - 0.3, 1.1, 0.8, a.rvIntensity * 0.95),  // right atrium, on the RV side
      (-0.5 * .pi + 0.4, 0.35, 0.5, a.lvIntensity)  // aortic root, anterior
    ]
    let size = a.lvRadius * (1 + 0.2 * min(-s * 3, 1))
    var out = value
    for p in pools {
      let ang = p.angle + a.heartRotation
      let dx = x - (cx + p.distance * size * cos(ang)), dy = y - (cy + p.distance * size * sin(ang))
      if dx * dx + dy * dy < p.radius * p.radius * size * size { out = p.intensity }
    }
    return out
  }

  private func hasForegroundNeighbour(_ label: [UInt8], _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Bool {
    for d in 1...2 {
      if x >= d && label[y * w + x - d] != 0 { return true }
      if x + d < w && label[y * w + x + d] != 0 { return true }
      if y >= d && label[(y - d) * w + x] != 0 { return true }
      if y + d < h && label[(y + d) * w + x] != 0 { return true }
    }
    return false
  }

  /// Separable Gaussian blur with edge clamping: the scanner's partial-volume softening of edges.
  private func gaussianBlur(_ v: [Double], _ w: Int, _ h: Int, sigma: Double) -> [Double] {
    let radius = max(1, Int((2.5 * sigma).rounded(.up)))
    var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
    let total = kernel.reduce(0, +)
    kernel = kernel.map { $0 / total }
    var rows = [Double](repeating: 0, count: v.count), out = [Double](repeating: 0, count: v.count)
    for y in 0..<h {
      for x in 0..<w {
        var sum = 0.0
        for k in -radius...radius { sum += kernel[k + radius] * v[y * w + min(max(x + k, 0), w - 1)] }
        rows[y * w + x] = sum
      }
    }
    for y in 0..<h {
      for x in 0..<w {
        var sum = 0.0
        for k in -radius...radius { sum += kernel[k + radius] * rows[min(max(y + k, 0), h - 1) * w + x] }
        out[y * w + x] = sum
      }
    }
    return out
  }
}
