// Soft Dice loss on probabilities (WSL4MIS `DiceLoss` and `pDLoss`), mean over classes, background included.
// Per class: 1 − (2Σ w·p·t + 1e-5) / (Σ w·t² + Σ w·p² + 1e-5). Reference: Milletari et al. 2016 (V-Net).

import TensorCore

/// Soft Dice on probabilities (N, C, H, W) against labels (N, H, W).
public enum SoftDiceLoss {
  /// Smoothing constant of WSL4MIS.
  public static let smooth: Double = 1e-5

  /// `DiceLoss`: every pixel weight 1; a label ≥ C one-hot-encodes to all zeros (as upstream).
  public static func compute(_ probabilities: Tensor, _ target: LabelMap) -> (loss: Float, gradient: Tensor) {
    weighted(probabilities, target, pixelWeights: nil)
  }

  /// `pDLoss(C, ignore_index)`: pixels labelled `ignoreIndex` get weight 0. Faithful to upstream's broadcast
  /// of the [N,1,H,W] mask against [N,H,W] (method spec §2.3 quirk): pixel (n, y, x) is weighted by the number
  /// of batch items not ignored at (y, x), which with no ignored pixel multiplies every sum by N.
  public static func computeMasked(_ probabilities: Tensor, _ target: LabelMap, ignoreIndex: Int = 4)
    -> (loss: Float, gradient: Tensor)
  {
    let (n, h, w) = (target.shape[0], target.shape[1], target.shape[2])
    var counts = [Float](repeating: 0, count: h * w)
    for i in 0..<n { for s in 0..<(h * w) where Int(target.values[i * h * w + s]) != ignoreIndex { counts[s] += 1 } }
    var weights = [Float](repeating: 0, count: n * h * w)
    for i in 0..<n { for s in 0..<(h * w) { weights[i * h * w + s] = counts[s] } }
    return weighted(probabilities, target, pixelWeights: weights)
  }

  /// Shared kernel: per-pixel weights w (N·H·W) or nil for 1.
  static func weighted(_ p: Tensor, _ target: LabelMap, pixelWeights: [Float]?) -> (loss: Float, gradient: Tensor) {
    target.checkMatches(p.shape, "SoftDiceLoss")
    let (n, c, h, w) = p.nchw
    let plane = h * w
    var inter = [Double](repeating: 0, count: c), tsum = inter, psum = inter
    for i in 0..<n {
      for s in 0..<plane {
        let wt = Double(pixelWeights?[i * plane + s] ?? 1)
        let t = Int(target.values[i * plane + s])
        for k in 0..<c {
          let pv = Double(p.data[(i * c + k) * plane + s])
          psum[k] += wt * pv * pv
          if k == t { inter[k] += wt * pv; tsum[k] += wt }
        }
      }
    }
    var loss = 0.0
    var a = [Double](repeating: 0, count: c), b = a
    for k in 0..<c {
      let num = 2 * inter[k] + smooth, den = tsum[k] + psum[k] + smooth
      loss += 1 - num / den
      a[k] = num; b[k] = den
    }
    var grad = Tensor(shape: p.shape)
    for i in 0..<n {
      for s in 0..<plane {
        let wt = Double(pixelWeights?[i * plane + s] ?? 1)
        let t = Int(target.values[i * plane + s])
        for k in 0..<c {
          let idx = (i * c + k) * plane + s
          let tv: Double = k == t ? 1 : 0
          let dnum = 2 * wt * tv, dden = 2 * wt * Double(p.data[idx])
          grad.data[idx] = Float(-(dnum * b[k] - a[k] * dden) / (b[k] * b[k]) / Double(c))
        }
      }
    }
    return (Float(loss / Double(c)), grad)
  }
}
