// Full-supervision loss of the method spec §2.4: 0.5·(CE(logits, y; ignore 4) + Dice(softmax(logits), y)).

import TensorCore

/// Dice + cross-entropy on logits for full masks (al-seg `StronglySupModel`).
public enum DiceCELoss {
  /// Returns the loss, its two parts and dLoss/dlogits.
  public static func compute(_ logits: Tensor, _ target: LabelMap, ignoreIndex: Int = 4)
    -> (loss: Float, crossEntropy: Float, dice: Float, gradient: Tensor)
  {
    let (ce, dce) = CrossEntropyLoss.compute(logits, target, ignoreIndex: ignoreIndex)
    let p = Softmax.forward(logits)
    let (dice, dp) = SoftDiceLoss.compute(p, target)
    var grad = Softmax.backward(dp, output: p)
    grad.add(dce)
    for i in 0..<grad.count { grad.data[i] *= 0.5 }
    return (0.5 * (ce + dice), ce, dice, grad)
  }
}
