// CoreGCN's training loss (spec §5.10, `BCEAdjLoss`) on sigmoid scores:
// L = −mean_{labeled} log(s + ε) − λ·mean_{unlabeled} log(1 − s + ε), ε = 1e-10.

import TensorCore

/// The labeled-vs-unlabeled objective of the CoreGCN scorer.
public enum CoreGCNLoss {
  /// The ε inside both logarithms.
  public static let epsilon: Double = 1e-10

  /// Loss and dL/ds for scores s: (N, 1). An empty set contributes 0 (the code would give NaN).
  public static func loss(scores: Tensor, labeled: [Int], unlabeled: [Int], lambda: Float) -> (
    loss: Double, dScores: Tensor
  ) {
    var grad = Tensor(shape: scores.shape)
    var labeledTerm = 0.0, unlabeledTerm = 0.0
    if !labeled.isEmpty {
      let scale = 1 / Double(labeled.count)
      for i in labeled {
        let s = Double(scores.data[i])
        labeledTerm += _log(s + epsilon) * scale
        grad.data[i] += Float(-scale / (s + epsilon))
      }
    }
    if !unlabeled.isEmpty {
      let scale = Double(lambda) / Double(unlabeled.count)
      for i in unlabeled {
        let s = Double(scores.data[i])
        unlabeledTerm += _log(1 - s + epsilon) / Double(unlabeled.count)
        grad.data[i] += Float(scale / (1 - s + epsilon))
      }
    }
    return (-labeledTerm - Double(lambda) * unlabeledTerm, grad)
  }
}
