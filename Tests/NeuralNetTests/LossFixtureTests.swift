// Losses against PyTorch: CE with ignore index 4, Dice, pDice (masked, with upstream's broadcast), Dice+CE, DMPLS.

import Testing
import NeuralNet
import TensorCore
import TestSupport

struct LossFixtureTests {
  let f: LossFixtures

  init() throws {
    f = try Fixture.load("losses.json")
  }

  func check(_ c: LossCase, _ fn: (Tensor, LabelMap) -> (Float, Tensor)) {
    let (loss, grad) = fn(c.logits.tensor, Fixture.labels(c.labels, c.labels_shape))
    #expect(abs(loss - c.loss) <= 1e-5 + 1e-4 * abs(c.loss), "loss \(loss) vs \(c.loss)")
    #expect(Approx.worstRatio(grad.data, c.grad.data, rtol: 1e-4, atol: 1e-6) <= 1)
  }

  @Test func crossEntropyIgnoresIndexFour() {
    check(f.cross_entropy) { CrossEntropyLoss.compute($0, $1) }
  }

  @Test func diceOnSoftmax() {
    check(f.dice) { logits, y in
      let p = Softmax.forward(logits)
      let (l, dp) = SoftDiceLoss.compute(p, y)
      return (l, Softmax.backward(dp, output: p))
    }
  }

  @Test func maskedDiceOnSoftmax() {
    check(f.pdice) { logits, y in
      let p = Softmax.forward(logits)
      let (l, dp) = SoftDiceLoss.computeMasked(p, y)
      return (l, Softmax.backward(dp, output: p))
    }
  }

  @Test func diceCE() {
    check(f.dice_ce) { logits, y in
      let r = DiceCELoss.compute(logits, y)
      return (r.loss, r.gradient)
    }
  }

  @Test func dmpls() {
    let c = f.dmpls
    let r = DMPLSLoss.compute(
      main: c.main.tensor, aux: c.aux.tensor, scribble: Fixture.labels(c.labels, c.labels_shape), beta: c.beta)
    #expect(abs(r.loss - c.loss) <= 1e-5 + 1e-4 * abs(c.loss))
    #expect(Approx.worstRatio(r.gradientMain.data, c.grad_main.data, rtol: 1e-4, atol: 1e-6) <= 1)
    #expect(Approx.worstRatio(r.gradientAux.data, c.grad_aux.data, rtol: 1e-4, atol: 1e-6) <= 1)
  }
}
