// Finite-difference checks of the losses' gradients with respect to the logits.

import Testing
import NeuralNet
import TensorCore
import TestSupport
import Randomness

struct LossGradientTests {
  // logits: (2, 4, 3, 3); labels with some 4s (ignored / all-zero one-hot)
  let logits = Tensor.random([2, 4, 3, 3], seed: 21)
  let labels: LabelMap = {
    var rng = SplitMix64(seed: 22)
    return LabelMap(shape: [2, 3, 3], values: (0..<18).map { _ in UInt8.random(in: 0...4, using: &rng) })
  }()

  func expectGradient(_ analytic: Tensor, _ f: @escaping (Tensor) -> Float) {
    let ratio = GradientCheck.worstRatio(
      analytic: analytic, { Double(f($0)) }, at: logits, eps: 1e-2, rtol: 2e-2, atol: 1e-4)
    #expect(ratio <= 1, "worst ratio \(ratio)")
  }

  @Test func crossEntropy() {
    let y = labels
    expectGradient(CrossEntropyLoss.compute(logits, y).gradient) { CrossEntropyLoss.compute($0, y).loss }
  }

  @Test func crossEntropyKnownValue() {
    // two classes, logits (0, 0) for one pixel: loss = log 2; second pixel ignored
    let l = Tensor(shape: [1, 2, 1, 2], data: [0, 5, 0, -5])
    let (loss, grad) = CrossEntropyLoss.compute(l, LabelMap(shape: [1, 1, 2], values: [1, 4]))
    #expect(abs(loss - 0.693_147_2) < 1e-6)
    #expect(abs(grad.data[1]) < 1e-7 && abs(grad.data[3]) < 1e-7)
  }

  @Test func diceOnSoftmax() {
    let y = labels
    let p = Softmax.forward(logits)
    let g = Softmax.backward(SoftDiceLoss.compute(p, y).gradient, output: p)
    expectGradient(g) { SoftDiceLoss.compute(Softmax.forward($0), y).loss }
  }

  @Test func maskedDiceOnSoftmax() {
    let y = labels
    let p = Softmax.forward(logits)
    let g = Softmax.backward(SoftDiceLoss.computeMasked(p, y).gradient, output: p)
    expectGradient(g) { SoftDiceLoss.computeMasked(Softmax.forward($0), y).loss }
  }

  @Test func diceOfPerfectPredictionIsNearZero() {
    // p is the one-hot of the labels: every class Dice is 1
    let y = LabelMap(shape: [1, 1, 3], values: [0, 1, 1])
    let p = Tensor(shape: [1, 2, 1, 3], data: [1, 0, 0, 0, 1, 1])
    #expect(SoftDiceLoss.compute(p, y).loss < 1e-5)
  }

  @Test func diceCE() {
    let y = labels
    expectGradient(DiceCELoss.compute(logits, y).gradient) { DiceCELoss.compute($0, y).loss }
  }

  @Test func dmplsBothHeads() {
    let y = labels, aux = Tensor.random([2, 4, 3, 3], seed: 23)
    let r = DMPLSLoss.compute(main: logits, aux: aux, scribble: y, beta: 0.3)
    // the pseudo label is an argmax, constant under small perturbations away from ties
    expectGradient(r.gradientMain) { DMPLSLoss.compute(main: $0, aux: aux, scribble: y, beta: 0.3).loss }
    let main = logits
    let ratio = GradientCheck.worstRatio(
      analytic: r.gradientAux, { Double(DMPLSLoss.compute(main: main, aux: $0, scribble: y, beta: 0.3).loss) },
      at: aux, eps: 1e-2, rtol: 2e-2, atol: 1e-4)
    #expect(ratio <= 1)
  }
}
