// Each layer against PyTorch: forward output, input gradient and parameter gradients for tiny shapes.

import Testing
import NeuralNet
import TensorCore
import TestSupport

struct LayerFixtureTests {
  let cases: [String: LayerCase]

  init() throws {
    cases = try Fixture.load("layers.json")
  }

  func expectClose(_ a: Tensor, _ b: PackedTensor?, _ what: String) {
    guard let b else { Issue.record("fixture lacks \(what)"); return }
    #expect(a.shape == b.shape, "\(what) shape")
    #expect(Approx.worstRatio(a.data, b.data, rtol: 1e-4, atol: 1e-5) <= 1, "\(what)")
  }

  func store(for c: LayerCase, prefix: String) -> ParameterStore {
    var s = ParameterStore()
    for (k, v) in c.params.sorted(by: { $0.key < $1.key }) { s.register("\(prefix).\(k)", v.tensor) }
    for (k, v) in c.buffers.sorted(by: { $0.key < $1.key }) { s.registerBuffer("\(prefix).\(k)", v.tensor) }
    return s
  }

  func expectGradients(_ s: ParameterStore, _ c: LayerCase, prefix: String) {
    for (k, v) in c.grads ?? [:] { expectClose(s.gradients["\(prefix).\(k)"]!, v, "\(prefix).\(k) gradient") }
  }

  @Test(arguments: [("conv3x3", 1), ("conv3x3_stride2", 2)])
  func conv2d(name: String, stride: Int) throws {
    let c = try #require(cases[name])
    let w = c.params["weight"]!.shape
    let layer = Conv2d(
      name: "l", inputChannels: w[1], outputChannels: w[0], kernelSize: w[2], stride: stride, padding: 1)
    var s = store(for: c, prefix: "l")
    let (y, cache) = layer(c.x.tensor, s)
    expectClose(y, c.y, "\(name) y")
    expectClose(layer.backward(c.dy!.tensor, cache, &s), c.dx, "\(name) dx")
    expectGradients(s, c, prefix: "l")
  }

  @Test func convTranspose2d() throws {
    let c = try #require(cases["conv_transpose2x2"])
    let w = c.params["weight"]!.shape
    let layer = ConvTranspose2d(name: "up", inputChannels: w[0], outputChannels: w[1])
    var s = store(for: c, prefix: "up")
    let (y, cache) = layer(c.x.tensor, s)
    expectClose(y, c.y, "y")
    expectClose(layer.backward(c.dy!.tensor, cache, &s), c.dx, "dx")
    expectGradients(s, c, prefix: "up")
  }

  @Test func batchNormTrainingAndRunningStatistics() throws {
    let c = try #require(cases["batchnorm_train"])
    let layer = BatchNorm2d(name: "bn", channels: 3)
    var s = ParameterStore()
    layer.register(in: &s)
    s.load("bn.weight", c.params["weight"]!.tensor)
    s.load("bn.bias", c.params["bias"]!.tensor)
    let (y, cache) = layer(c.x.tensor, &s, training: true)
    expectClose(y, c.y, "y")
    expectClose(layer.backward(c.dy!.tensor, cache, &s), c.dx, "dx")
    expectGradients(s, c, prefix: "bn")
    // fixture buffers are PyTorch's running stats after this one training forward
    expectClose(s.buffers["bn.running_mean"]!, c.buffers["running_mean"], "running_mean")
    expectClose(s.buffers["bn.running_var"]!, c.buffers["running_var"], "running_var")
  }

  @Test func batchNormEvaluation() throws {
    let c = try #require(cases["batchnorm_eval"])
    let layer = BatchNorm2d(name: "bn", channels: 3)
    var s = store(for: c, prefix: "bn")
    let (y, _) = layer(c.x.tensor, &s, training: false)
    expectClose(y, c.y, "y")
  }

  @Test func leakyReLU() throws {
    let c = try #require(cases["leaky_relu"])
    let layer = LeakyReLU()
    let (y, cache) = layer(c.x.tensor)
    expectClose(y, c.y, "y")
    expectClose(layer.backward(c.dy!.tensor, cache), c.dx, "dx")
  }

  @Test func maxPool() throws {
    let c = try #require(cases["maxpool2"])
    let layer = MaxPool2d(kernelSize: 2)
    let (y, cache) = layer(c.x.tensor)
    expectClose(y, c.y, "y")
    expectClose(layer.backward(c.dy!.tensor, cache), c.dx, "dx")
  }

  @Test func linear() throws {
    let c = try #require(cases["linear"])
    let layer = Linear(name: "fc", inputFeatures: 5, outputFeatures: 3)
    var s = store(for: c, prefix: "fc")
    let (y, cache) = layer(c.x.tensor, s)
    expectClose(y, c.y, "y")
    expectClose(layer.backward(c.dy!.tensor, cache, &s), c.dx, "dx")
    expectGradients(s, c, prefix: "fc")
  }
}
