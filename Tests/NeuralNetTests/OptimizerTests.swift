// SGD (PyTorch momentum and weight-decay semantics), Adam and the poly learning-rate schedule, by hand.

import Testing
import NeuralNet
import TensorCore
import TestSupport

struct OptimizerTests {
  func store(_ value: Float, grad: Float) -> ParameterStore {
    var s = ParameterStore()
    s.register("p", Tensor(shape: [1], data: [value]))
    s.gradients["p"] = Tensor(shape: [1], data: [grad])
    return s
  }

  @Test func sgdMatchesPyTorchByHand() {
    var s = store(1.0, grad: 0.5)
    var sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
    sgd.step(&s)
    // g = 0.5 + 0.01·1 = 0.51; b = g; p = 1 − 0.1·0.51 = 0.949
    #expect(abs(s["p"].data[0] - 0.949) < 1e-6)
    sgd.step(&s)
    // g = 0.5 + 0.01·0.949 = 0.50949; b = 0.9·0.51 + 0.50949 = 0.96849; p = 0.949 − 0.096849
    #expect(abs(s["p"].data[0] - 0.852_151) < 1e-6)
  }

  @Test func nesterovSGDMatchesPyTorchByHand() {
    var s = store(1.0, grad: 0.5)
    var sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
    sgd.step(&s)
    // g = 0.51; b = g; step g + 0.9·b = 0.969; p = 1 − 0.0969 = 0.9031
    #expect(abs(s["p"].data[0] - 0.9031) < 1e-6)
    sgd.step(&s)
    // g = 0.5 + 0.01·0.9031 = 0.509031; b = 0.9·0.51 + g = 0.968031; step g + 0.9·b = 1.3802589
    #expect(abs(s["p"].data[0] - (0.9031 - 0.138_025_89)) < 1e-6)
  }

  @Test func adamMatchesPyTorchByHand() {
    var s = store(1.0, grad: 0.5)
    var adam = Adam(learningRate: 0.1)
    adam.update(&s)
    // first step: m̂ = g, v̂ = g², p −= lr·g/(|g| + eps) ≈ 0.1
    #expect(abs(s["p"].data[0] - 0.9) < 1e-6)
    s.gradients["p"] = Tensor(shape: [1], data: [-1.0])
    adam.update(&s)
    // m = 0.9·0.05 − 0.1 = −0.055 → m̂ = −0.055/0.19; v = 0.999·0.00025 + 0.001 = 0.00124975 → v̂ = v/0.001999
    let mhat = -0.055 / 0.19, vhat = 0.001_249_75 / 0.001_999
    let expected = 0.9 - 0.1 * mhat / (vhat.squareRoot() + 1e-8)
    #expect(abs(Double(s["p"].data[0]) - expected) < 1e-5)
  }

  @Test(arguments: [(0, 0.01), (1, 0.009_909_955), (50, 0.005_358_867), (99, 0.000_158_489)])
  func polyLearningRate(iteration: Int, expected: Double) {
    let schedule = PolyLR(baseLearningRate: 0.01, maxIterations: 100)
    #expect(abs(Double(schedule.learningRate(at: iteration)) - expected) < 1e-8)
  }
}
