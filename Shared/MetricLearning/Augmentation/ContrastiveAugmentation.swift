// The view transform T of GCL (method spec §3.3), after torchvision: RandomResizedCrop → RandomHorizontalFlip →
// RandomAffine → GaussianBlur → RandomErasing, on single-channel float images, seeded.

import Foundation

/// Draws random views of a slice; every random choice comes from the caller's generator.
public struct ContrastiveAugmentation: Sendable {
  public var config: AugmentationConfig

  public init(config: AugmentationConfig = .paper) {
    self.config = config
  }

  /// One random view of `image`, same size.
  public func callAsFunction(_ image: GrayImage, using rng: inout some RandomNumberGenerator) -> GrayImage {
    var x = image
    if hit(config.cropProbability, &rng) { x = randomResizedCrop(x, using: &rng) }
    if hit(config.flipProbability, &rng) { x = Self.flipped(x) }
    if hit(config.affineProbability, &rng) { x = randomAffine(x, using: &rng) }
    if hit(config.blurProbability, &rng) {
      x = Self.gaussianBlur(x, kernel: config.blurKernel, sigma: Double.random(in: config.blurSigma, using: &rng))
    }
    if hit(config.erasingProbability, &rng) { x = randomErasing(x, using: &rng) }
    return x
  }

  private func hit(_ p: Double, _ rng: inout some RandomNumberGenerator) -> Bool {
    p >= 1 || (p > 0 && Double.random(in: 0..<1, using: &rng) < p)
  }

  /// torchvision `RandomResizedCrop.get_params` (10 tries, then a centre crop with the ratio clamped), bilinear.
  func randomResizedCrop(_ x: GrayImage, using rng: inout some RandomNumberGenerator) -> GrayImage {
    let (h, w) = (x.height, x.width), area = Double(h * w)
    let logRatio = log(config.cropRatio.lowerBound)...log(config.cropRatio.upperBound)
    for _ in 0..<10 {
      let target = area * Double.random(in: config.cropScale, using: &rng)
      let aspect = exp(Double.random(in: logRatio, using: &rng))
      let cw = Int((target * aspect).squareRoot().rounded()), ch = Int((target / aspect).squareRoot().rounded())
      if cw > 0, ch > 0, cw <= w, ch <= h {
        let top = Int.random(in: 0...(h - ch), using: &rng), left = Int.random(in: 0...(w - cw), using: &rng)
        return x.resizedCrop(top: top, left: left, height: ch, width: cw, outHeight: h, outWidth: w)
      }
    }
    let ratio = Double(w) / Double(h)
    var cw = w, ch = h
    if ratio < config.cropRatio.lowerBound { ch = Int((Double(w) / config.cropRatio.lowerBound).rounded()) }
    if ratio > config.cropRatio.upperBound { cw = Int((Double(h) * config.cropRatio.upperBound).rounded()) }
    return x.resizedCrop(top: (h - ch) / 2, left: (w - cw) / 2, height: ch, width: cw, outHeight: h, outWidth: w)
  }

  /// Mirror left–right.
  static func flipped(_ x: GrayImage) -> GrayImage {
    var out = x
    for r in 0..<x.height { for c in 0..<x.width { out[r, c] = x[r, x.width - 1 - c] } }
    return out
  }

  /// torchvision `RandomAffine`: about the centre, rotate by θ, scale by s, x-shear by φ, then translate by
  /// integer (tx, ty); each output pixel takes the nearest source pixel of the inverse map, 0 outside.
  func randomAffine(_ x: GrayImage, using rng: inout some RandomNumberGenerator) -> GrayImage {
    let deg = Double.pi / 180
    let angle = Double.random(in: -config.rotationDegrees...config.rotationDegrees, using: &rng) * deg
    let maxDx = config.translateFraction * Double(x.width), maxDy = config.translateFraction * Double(x.height)
    let tx = Double.random(in: -maxDx...maxDx, using: &rng).rounded(),
      ty = Double.random(in: -maxDy...maxDy, using: &rng).rounded()
    let scale = Double.random(in: config.affineScale, using: &rng)
    let shear = Double.random(in: -config.shearDegrees...config.shearDegrees, using: &rng) * deg
    // forward linear part A = s · R(θ) · [[1, tan φ], [0, 1]]; output p = A (q − c) + c + t
    let (co, si, sh) = (cos(angle), sin(angle), tan(shear))
    let a = scale * co, b = scale * (co * sh - si), c = scale * si, d = scale * (si * sh + co)
    let det = a * d - b * c
    let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det)
    let cy = Double(x.height - 1) / 2, cx = Double(x.width - 1) / 2
    var out = GrayImage(height: x.height, width: x.width, pixels: [Float](repeating: 0, count: x.pixels.count))
    for r in 0..<x.height {
      for col in 0..<x.width {
        let px = Double(col) - cx - tx, py = Double(r) - cy - ty
        let sx = (ia * px + ib * py + cx).rounded(), sy = (ic * px + id * py + cy).rounded()
        if sx >= 0, sy >= 0, sx < Double(x.width), sy < Double(x.height) { out[r, col] = x[Int(sy), Int(sx)] }
      }
    }
    return out
  }

  /// Separable Gaussian blur with reflect padding (torchvision `gaussian_blur`).
  static func gaussianBlur(_ x: GrayImage, kernel: Int, sigma: Double) -> GrayImage {
    let half = kernel / 2
    var k = (0..<kernel).map { i -> Float in
      let t = Double(i - half); return Float(exp(-t * t / (2 * sigma * sigma)))
    }
    let s = k.reduce(0, +)
    k = k.map { $0 / s }
    func reflect(_ i: Int, _ n: Int) -> Int {
      guard n > 1 else { return 0 }
      var j = i
      while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
      return j
    }
    var tmp = x, out = x
    for r in 0..<x.height {
      for c in 0..<x.width {
        var acc: Float = 0
        for t in 0..<kernel { acc += k[t] * x[r, reflect(c + t - half, x.width)] }
        tmp[r, c] = acc
      }
    }
    for r in 0..<x.height {
      for c in 0..<x.width {
        var acc: Float = 0
        for t in 0..<kernel { acc += k[t] * tmp[reflect(r + t - half, x.height), c] }
        out[r, c] = acc
      }
    }
    return out
  }

  /// torchvision `RandomErasing.get_params` (10 tries), value 0.
  func randomErasing(_ x: GrayImage, using rng: inout some RandomNumberGenerator) -> GrayImage {
    let (h, w) = (x.height, x.width), area = Double(h * w)
    let logRatio = log(config.erasingRatio.lowerBound)...log(config.erasingRatio.upperBound)
    for _ in 0..<10 {
      let target = area * Double.random(in: config.erasingScale, using: &rng)
      let aspect = exp(Double.random(in: logRatio, using: &rng))
      let eh = Int((target * aspect).squareRoot().rounded()), ew = Int((target / aspect).squareRoot().rounded())
      guard eh > 0, ew > 0, eh < h, ew < w else { continue }
      let top = Int.random(in: 0...(h - eh), using: &rng), left = Int.random(in: 0...(w - ew), using: &rng)
      var out = x
      for r in top..<(top + eh) { for c in left..<(left + ew) { out[r, c] = 0 } }
      return out
    }
    return x
  }
}
