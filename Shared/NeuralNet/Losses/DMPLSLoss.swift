// DMPLS loss for scribbles (method spec §2.3): CE on both heads, plus pseudo-label Dice against the argmax
// of a random mix of the two (detached) softmax outputs. Reference: Luo et al., MICCAI 2022 (WSL4MIS).

import TensorCore

/// L = 0.5·(CE(main, s) + CE(aux, s)) + 0.5 · 0.5·(pDice(p1, PL) + pDice(p2, PL)),
/// PL = argmax(β·p1 + (1−β)·p2) with p = softmax(logits) and PL treated as a constant.
public enum DMPLSLoss {
  public struct Result: Sendable {
    public var loss: Float
    public var crossEntropy: Float
    public var pseudoDice: Float
    public var gradientMain: Tensor
    public var gradientAux: Tensor
  }

  /// `beta` is drawn by the caller (`U(0,1) + 1e-10` upstream) so the draw stays in the trainer's seeded stream.
  public static func compute(main: Tensor, aux: Tensor, scribble: LabelMap, beta: Float, ignoreIndex: Int = 4) -> Result
  {
    precondition(main.shape == aux.shape, "DMPLS heads differ in shape: \(main.shape) vs \(aux.shape)")
    let (ce1, dce1) = CrossEntropyLoss.compute(main, scribble, ignoreIndex: ignoreIndex)
    let (ce2, dce2) = CrossEntropyLoss.compute(aux, scribble, ignoreIndex: ignoreIndex)
    let p1 = Softmax.forward(main), p2 = Softmax.forward(aux)
    let (n, c, h, w) = main.nchw
    let plane = h * w
    var pl = [UInt8](repeating: 0, count: n * plane)
    for i in 0..<n {
      for s in 0..<plane {
        var best = -Float.infinity, arg = 0
        for k in 0..<c {
          let idx = (i * c + k) * plane + s
          let v = beta * p1.data[idx] + (1 - beta) * p2.data[idx]
          if v > best { best = v; arg = k }
        }
        pl[i * plane + s] = UInt8(arg)
      }
    }
    let labels = LabelMap(shape: [n, h, w], values: pl)
    let (d1, dp1) = SoftDiceLoss.computeMasked(p1, labels, ignoreIndex: ignoreIndex)
    let (d2, dp2) = SoftDiceLoss.computeMasked(p2, labels, ignoreIndex: ignoreIndex)
    // dL/dlogits = 0.5·dCE + 0.25·softmax'(dpDice)
    var gMain = Softmax.backward(dp1, output: p1), gAux = Softmax.backward(dp2, output: p2)
    for i in 0..<gMain.count {
      gMain.data[i] = 0.5 * dce1.data[i] + 0.25 * gMain.data[i]
      gAux.data[i] = 0.5 * dce2.data[i] + 0.25 * gAux.data[i]
    }
    let ce = 0.5 * (ce1 + ce2), pse = 0.5 * (d1 + d2)
    return Result(loss: ce + 0.5 * pse, crossEntropy: ce, pseudoDice: pse, gradientMain: gMain, gradientAux: gAux)
  }
}
