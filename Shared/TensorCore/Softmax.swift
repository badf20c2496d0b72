// Softmax over the channel dimension of (N, C, H, W) or (N, C) tensors, and its backward.

#if canImport(Glibc)
  import Glibc
#endif

/// Channel softmax (PyTorch `softmax(dim=1)`).
public enum Softmax {
  /// p[n, :, h, w] = softmax(x[n, :, h, w]). Works for rank 2 (N, C) and rank 4 (N, C, H, W).
  public static func forward(_ x: Tensor) -> Tensor {
    let (n, c, plane) = layout(x.shape)
    var p = x
    p.data.withUnsafeMutableBufferPointer { pp in
      x.data.withUnsafeBufferPointer { xp in
        Parallel.forEach(n) { i in
          for s in 0..<plane {
            let base = i * c * plane + s
            var mx = -Float.infinity
            for k in 0..<c { mx = max(mx, xp[base + k * plane]) }
            var sum: Float = 0
            for k in 0..<c { let e = (xp[base + k * plane] - mx).exp(); pp[base + k * plane] = e; sum += e }
            for k in 0..<c { pp[base + k * plane] /= sum }
          }
        }
      }
    }
    return p
  }

  /// dx = p ⊙ (dp − Σ_c dp ⊙ p), given the forward output p.
  public static func backward(_ dp: Tensor, output p: Tensor) -> Tensor {
    let (n, c, plane) = layout(p.shape)
    var dx = dp
    for i in 0..<n {
      for s in 0..<plane {
        let base = i * c * plane + s
        var dot: Float = 0
        for k in 0..<c { dot += dp.data[base + k * plane] * p.data[base + k * plane] }
        for k in 0..<c { dx.data[base + k * plane] = p.data[base + k * plane] * (dp.data[base + k * plane] - dot) }
      }
    }
    return dx
  }

  static func layout(_ shape: [Int]) -> (n: Int, c: Int, plane: Int) {
    precondition(shape.count == 2 || shape.count == 4, "softmax expects (N, C) or (N, C, H, W), got \(shape)")
    return (shape[0], shape[1], shape.count == 4 ? shape[2] * shape[3] : 1)
  }
}

extension Float {
  @inline(__always) func exp() -> Float { expf(self) }
}
