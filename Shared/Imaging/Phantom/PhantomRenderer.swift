// Renders one short-axis slice of a phantom patient: the label mask from the anatomy, then the image
// (tissue, clutter blobs, fat, papillary muscles, partial volume, gamma, bias field, Rician noise).

import Foundation
import Randomness

/// Draws the mask and raw intensities of one slice of one phantom volume.
struct PhantomRenderer {
  let anatomy: PhantomAnatomy
  let parameters: PhantomParameters
  let phase: CardiacPhase

  /// Position along the long axis: 0 at the base, 1 at the apex.
  func axialPosition(_ z: Int) -> Double { Double(z) / Double(max(anatomy.slices - 1, 1)) }

  // MARK: - Labels

  /// The label mask (height × width) of slice `z`.
  func label(slice z: Int) -> [UInt8] {
    let a = anatomy, s = axialPosition(z)
    let w = parameters.width, h = parameters.height
    let shrink = 1 - (1 - a.apexScale) * pow(s, 1.5)
    var rLV = a.lvRadius * shrink * (phase == .ed ? 1 : a.esLVScale)
    if (phase == .es && s > a.apexCavityCut) || rLV < 1.2 { rLV = 0 }
    let thick = a.myoThickness * (phase == .ed ? 1 : a.esThickening) * (1 - 0.2 * s)
    let cx = a.centerX + a.driftX * s, cy = a.centerY + a.driftY * s
    let cosR = cos(a.rotation), sinR = sin(a.rotation)
    // RV: an ellipse leaning on the septum, shrinking toward the apex and vanishing after rvApexCut.
    let rvScale = s < a.rvApexCut ? (1 - s / a.rvApexCut).squareRoot() * (phase == .ed ? 1 : a.esRVScale) : 0
    let epiMean = max(rLV, 0.6 * a.lvRadius * shrink) + thick
    let dirX = cos(a.rvAngle), dirY = sin(a.rvAngle)
    let rvCX = cx + dirX * 0.55 * epiMean, rvCY = cy + dirY * 0.55 * epiMean
    let rvRadial = 0.45 * epiMean + a.rvDepth * a.lvRadius * rvScale
    let rvTangent = max(a.rvSpan * epiMean * max(rvScale, 0.35), 1)
    // No point outside this radius can be LV or myocardium (shape factors stay below 1.5).
    let outerBound = 1.5 * (rLV + 1.6 * thick) + 1
    let rvReach = rvRadial + rvTangent
    var out = [UInt8](repeating: CardiacLabel.background, count: w * h)
    for y in 0..<h {
      for x in 0..<w {
        let dx = Double(x) - cx, dy = Double(y) - cy
        let u = dx * cosR + dy * sinR, v = (-dx * sinR + dy * cosR) / a.lvAspect
        let rho = (u * u + v * v).squareRoot()
        if rho <= outerBound {
          let theta = atan2(v, u)
          let endo = rLV * a.lvShape.factor(theta)
          let epi = (rLV > 0 ? endo : 0) + thick * a.epiShape.factor(theta) * (rLV > 0 ? 1 : 1.6)
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

  // MARK: - Image

  /// Raw (unnormalised, MRI-like magnitude) intensities of slice `z`, given its mask.
  func image(slice z: Int, label: [UInt8], rng: inout SplitMix64) -> [Float] {
    let a = anatomy, w = parameters.width, h = parameters.height
    let fw = Double(w), fh = Double(h)
    var clean = [Double](repeating: 0, count: w * h)
    let s = axialPosition(z)
    let cx = a.centerX + a.driftX * s, cy = a.centerY + a.driftY * s
    let papillaryAngle = a.rotation + 0.8
    let sliceGain = rng.uniform(0.93, 1.07)
    let blobs = a.blobs.map { b in
      (b: b, c: cos(b.angle), s: sin(b.angle), reach: 1.15 * max(b.rx, b.ry))
    }
    let heartReach = 2.5 * (a.lvRadius + a.myoThickness) + 3
    for y in 0..<h {
      for x in 0..<w {
        let i = y * w + x
        let bx = (Double(x) / fw - 0.5) / a.bodyRX, by = (Double(y) / fh - 0.5) / a.bodyRY
        var value = bx * bx + by * by < 1 ? a.tissueIntensity : 0.02
        if value > 0.02 {
          for (b, c, sn, reach) in blobs {
            let px = Double(x) / fw - b.cx, py = Double(y) / fh - b.cy
            if abs(px) > reach || abs(py) > reach { continue }
            let u = (px * c + py * sn) / b.rx
            let v = (-px * sn + py * c) / b.ry
            let r2 = u * u + v * v
            if r2 < 1.3 { value += (b.intensity - value) * min(1, max(0, (1.3 - r2) / 0.6)) }
          }
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
          // Epicardial fat: a bright band touching the heart on one side.
          if abs(Double(x) - cx) < heartReach && abs(Double(y) - cy) < heartReach
            && hasForegroundNeighbour(label, x, y, w, h) {
            let ang = atan2(Double(y) - cy, Double(x) - cx)
            if cos(ang - a.rotation) > 0.2 { value = a.fatIntensity }
          }
        }
        clean[i] = value
      }
    }
    let blurred = boxBlur(clean, w, h)
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

  private func hasForegroundNeighbour(_ label: [UInt8], _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Bool {
    for d in 1...2 {
      if x >= d && label[y * w + x - d] != 0 { return true }
      if x + d < w && label[y * w + x + d] != 0 { return true }
      if y >= d && label[(y - d) * w + x] != 0 { return true }
      if y + d < h && label[(y + d) * w + x] != 0 { return true }
    }
    return false
  }

  /// 3×3 box blur with edge clamping (partial-volume softening of edges).
  private func boxBlur(_ v: [Double], _ w: Int, _ h: Int) -> [Double] {
    var out = [Double](repeating: 0, count: v.count)
    for y in 0..<h {
      for x in 0..<w {
        var sum = 0.0
        for dy in -1...1 {
          for dx in -1...1 {
            sum += v[min(max(y + dy, 0), h - 1) * w + min(max(x + dx, 0), w - 1)]
          }
        }
        out[y * w + x] = sum / 9
      }
    }
    return out
  }
}
