// Binary cross-entropy on logits, mean over elements: PyTorch `BCELoss(sigmoid(l), t)` written in
// the stable form `max(l, 0) − l·t + log(1 + e^−|l|)` (`BCEWithLogitsLoss`). The two agree wherever
// PyTorch's clamp of log at −100 is inactive (|l| < ~100 in exact arithmetic).

import TensorCore

/// Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1].
public enum BinaryCrossEntropy {
  /// loss = mean_i [max(l_i, 0) − l_i·t_i + log(1 + e^−|l_i|)], dl_i = (σ(l_i) − t_i) / n.
  /// logits: any shape with n elements; targets: n values.
  public static func withLogits(_ logits: Tensor, targets: [Float]) -> (loss: Double, dLogits: Tensor) {
    precondition(targets.count == logits.count, "BCE got \(targets.count) targets for \(logits.count) logits")
    let n = logits.count
    guard n > 0 else { return (0, logits) }
    var loss = 0.0
    var grad = Tensor(shape: logits.shape)
    let scale = 1 / Float(n)
    for i in 0..<n {
      let l = Double(logits.data[i]), t = Double(targets[i])
      loss += max(l, 0) - l * t + _log1p(_exp(-abs(l)))
      grad.data[i] = (Sigmoid.value(logits.data[i]) - targets[i]) * scale
    }
    return (loss / Double(n), grad)
  }

  /// Same with one target for every element.
  public static func withLogits(_ logits: Tensor, target: Float) -> (loss: Double, dLogits: Tensor) {
    withLogits(logits, targets: [Float](repeating: target, count: logits.count))
  }
}
