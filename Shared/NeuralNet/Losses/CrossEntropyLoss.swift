// Pixel-wise cross-entropy on logits with an ignore label, mean over the non-ignored pixels.
// Reference: PyTorch `nn.CrossEntropyLoss(ignore_index=4)` (reduction "mean").

import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Cross-entropy of logits (N, C, H, W) against labels (N, H, W); pixels labelled `ignoreIndex` do not count.
public enum CrossEntropyLoss {
  /// Returns the loss and dLoss/dlogits. With no counted pixel the loss is 0 and the gradient zero
  /// (PyTorch would return NaN).
  public static func compute(_ logits: Tensor, _ target: LabelMap, ignoreIndex: Int = 4) -> (
    loss: Float, gradient: Tensor
  ) {
    target.checkMatches(logits.shape, "CrossEntropyLoss")
    let (n, c, h, w) = logits.nchw
    let plane = h * w
    let p = Softmax.forward(logits)
    var grad = Tensor(shape: logits.shape)
    var total = 0.0, counted = 0
    for i in 0..<n {
      for s in 0..<plane {
        let t = Int(target.values[i * plane + s])
        if t == ignoreIndex { continue }
        precondition(t < c, "label \(t) is out of range for \(c) classes (ignore index \(ignoreIndex))")
        counted += 1
        let base = i * c * plane + s
        var mx = -Double.infinity, se = 0.0  // log-softmax in Double: logp_t = x_t − max − log Σ exp(x − max)
        for k in 0..<c { mx = max(mx, Double(logits.data[base + k * plane])) }
        for k in 0..<c { se += exp(Double(logits.data[base + k * plane]) - mx) }
        total -= Double(logits.data[base + t * plane]) - mx - log(se)
        for k in 0..<c { grad.data[base + k * plane] = p.data[base + k * plane] - (k == t ? 1 : 0) }
      }
    }
    guard counted > 0 else { return (0, grad) }
    let scale = 1 / Float(counted)
    for i in 0..<grad.count { grad.data[i] *= scale }
    return (Float(total / Double(counted)), grad)
  }
}
