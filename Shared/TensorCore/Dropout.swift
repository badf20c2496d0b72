// Inverted dropout with seeded masks: element-wise (`Dropout`) and channel-wise (`Dropout2d`).
// Reference: Srivastava et al. 2014; Tompson et al. 2015 (spatial dropout); PyTorch `nn.Dropout`, `F.dropout2d`.

/// Dropout kernels. A mask holds 0 or 1/(1−p) per element (or per (n, c) channel for the 2-D variant).
public enum Dropout {
  /// Element-wise mask for `count` elements.
  public static func mask(count: Int, p: Float, using rng: inout some RandomNumberGenerator) -> [Float] {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { fillMask($0, p: p, using: &rng) }
    return out
  }

  /// Writes the mask `mask(count: out.count, p:, using:)` would return into `out` (same draws, no allocation).
  public static func fillMask(
    _ out: UnsafeMutableBufferPointer<Float>, p: Float, using rng: inout some RandomNumberGenerator
  ) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    let keep = 1 / (1 - p)
    // one 64-bit draw per element: drop when its top 24 bits, as a fraction of 2^24, fall below p
    let threshold = UInt64((Double(p) * 16_777_216).rounded())
    for i in 0..<out.count { out[i] = rng.next() >> 40 < threshold ? 0 : keep }
  }

  /// y = x · mask (mask per element).
  public static func apply(_ x: Tensor, mask: [Float]) -> Tensor {
    precondition(mask.count == x.count, "dropout mask has \(mask.count) entries for \(x.count) elements")
    var y = x
    y.data.withUnsafeMutableBufferPointer { yp in
      mask.withUnsafeBufferPointer { mp in
        Parallel.forChunks(yp.count) { r in for i in r { yp[i] *= mp[i] } }
      }
    }
    return y
  }

  /// Channel mask: one entry per (n, c) of an NCHW tensor.
  public static func channelMask(batch: Int, channels: Int, p: Float, using rng: inout some RandomNumberGenerator)
    -> [Float]
  {
    mask(count: batch * channels, p: p, using: &rng)
  }

  /// y = x · mask[n, c] (the same factor over each channel plane).  x: (N, C, H, W)
  public static func applyChannels(_ x: Tensor, mask: [Float]) -> Tensor {
    let (n, c, h, w) = x.nchw
    precondition(mask.count == n * c, "dropout2d mask has \(mask.count) entries for \(n)×\(c) channels")
    let plane = h * w
    var y = x
    y.data.withUnsafeMutableBufferPointer { yp in
      Parallel.forEach(n * c) { k in
        let f = mask[k]
        for i in (k * plane)..<((k + 1) * plane) { yp[i] *= f }
      }
    }
    return y
  }
}
