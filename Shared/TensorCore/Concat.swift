// Concatenation of NCHW tensors along channels, and the matching gradient split.

/// Channel concatenation (PyTorch `torch.cat(dim=1)`).
public enum Concat {
  /// [a, b] along channels.  a: (N, Ca, H, W), b: (N, Cb, H, W) → (N, Ca+Cb, H, W)
  public static func channels(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (n, ca, h, w) = a.nchw, cb = b.nchw.c
    precondition(b.shape == [n, cb, h, w], "cannot concatenate \(a.shape) and \(b.shape) along channels")
    let pa = ca * h * w, pb = cb * h * w
    var out = [Float]()
    out.reserveCapacity(a.count + b.count)
    for i in 0..<n {
      out.append(contentsOf: a.data[(i * pa)..<((i + 1) * pa)])
      out.append(contentsOf: b.data[(i * pb)..<((i + 1) * pb)])
    }
    return Tensor(shape: [n, ca + cb, h, w], data: out)
  }

  /// Splits a channel gradient back into the parts for the first `firstChannels` channels and the rest.
  public static func split(_ d: Tensor, firstChannels ca: Int) -> (Tensor, Tensor) {
    let (n, c, h, w) = d.nchw
    let cb = c - ca, pa = ca * h * w, pb = cb * h * w
    var da = [Float](), db = [Float]()
    da.reserveCapacity(n * pa); db.reserveCapacity(n * pb)
    for i in 0..<n {
      let base = i * (pa + pb)
      da.append(contentsOf: d.data[base..<(base + pa)])
      db.append(contentsOf: d.data[(base + pa)..<(base + pa + pb)])
    }
    return (Tensor(shape: [n, ca, h, w], data: da), Tensor(shape: [n, cb, h, w], data: db))
  }
}
