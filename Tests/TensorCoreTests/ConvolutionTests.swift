// oneDNN convolution / transposed convolution against the direct-loop reference, and finite differences
// for the reference itself.

import Testing
import TensorCore
import TestSupport

struct ConvolutionTests {
  static let geometries: [ConvGeometry] = [
    // 3×3 pad 1 stride 1: x (2, 3, 6, 5) → (2, 4, 6, 5)
    ConvGeometry(
      batch: 2, inputChannels: 3, outputChannels: 4, inputHeight: 6, inputWidth: 5, kernelHeight: 3, kernelWidth: 3,
      stride: 1, padding: 1),
    // 3×3 pad 1 stride 2: x (1, 2, 7, 7) → (1, 3, 4, 4)
    ConvGeometry(
      batch: 1, inputChannels: 2, outputChannels: 3, inputHeight: 7, inputWidth: 7, kernelHeight: 3, kernelWidth: 3,
      stride: 2, padding: 1),
    // 1×1 no pad: x (2, 5, 4, 4) → (2, 2, 4, 4)
    ConvGeometry(
      batch: 2, inputChannels: 5, outputChannels: 2, inputHeight: 4, inputWidth: 4, kernelHeight: 1, kernelWidth: 1),
    // 5×3 stride 2 pad 2 (non-square kernel): x (1, 2, 9, 8) → (1, 3, 5, 5)
    ConvGeometry(
      batch: 1, inputChannels: 2, outputChannels: 3, inputHeight: 9, inputWidth: 8, kernelHeight: 5, kernelWidth: 3,
      stride: 2, padding: 2),
    // transposed 2×2 stride 2: x (2, 4, 3, 3) → (2, 3, 6, 6)
    ConvGeometry(
      batch: 2, inputChannels: 4, outputChannels: 3, inputHeight: 3, inputWidth: 3, kernelHeight: 2, kernelWidth: 2,
      stride: 2, padding: 0, transposed: true),
    // transposed 3×3 stride 2 pad 1: x (1, 2, 4, 3) → (1, 3, 7, 5)
    ConvGeometry(
      batch: 1, inputChannels: 2, outputChannels: 3, inputHeight: 4, inputWidth: 3, kernelHeight: 3, kernelWidth: 3,
      stride: 2, padding: 1, transposed: true)
  ]

  @Test(arguments: geometries)
  func oneDNNMatchesReference(_ g: ConvGeometry) {
    let x = Tensor.random(g.inputShape, seed: 10), w = Tensor.random(g.weightShape, seed: 11)
    let b = Tensor.random([g.outputChannels], seed: 12), dy = Tensor.random(g.outputShape, seed: 13)
    let yFast = Convolution.forward(x, weight: w, bias: b, geometry: g)
    let yRef = Convolution.forwardNaive(x, weight: w, bias: b, geometry: g)
    #expect(Approx.worstRatio(yFast.data, yRef.data, rtol: 1e-4, atol: 1e-4) <= 1)
    let dxFast = Convolution.backwardData(dy, weight: w, geometry: g)
    let dxRef = Convolution.backwardDataNaive(dy, weight: w, geometry: g)
    #expect(Approx.worstRatio(dxFast.data, dxRef.data, rtol: 1e-4, atol: 1e-4) <= 1)
    let (dwFast, dbFast) = Convolution.backwardWeights(x, dy, geometry: g)
    let (dwRef, dbRef) = Convolution.backwardWeightsNaive(x, dy, geometry: g)
    #expect(Approx.worstRatio(dwFast.data, dwRef.data, rtol: 1e-4, atol: 1e-4) <= 1)
    #expect(Approx.worstRatio(dbFast.data, dbRef.data, rtol: 1e-4, atol: 1e-4) <= 1)
  }

  @Test(arguments: [geometries[1], geometries[4], geometries[5]])
  func referenceGradientsMatchFiniteDifferences(_ g: ConvGeometry) {
    let x = Tensor.random(g.inputShape, seed: 20), w = Tensor.random(g.weightShape, seed: 21)
    let b = Tensor.random([g.outputChannels], seed: 22), r = Tensor.random(g.outputShape, seed: 23)
    let dx = Convolution.backwardDataNaive(r, weight: w, geometry: g)
    let (dw, db) = Convolution.backwardWeightsNaive(x, r, geometry: g)
    #expect(
      GradientCheck.worstRatio(
        analytic: dx, { GradientCheck.dot(Convolution.forwardNaive($0, weight: w, bias: b, geometry: g), r) }, at: x)
        <= 1)
    #expect(
      GradientCheck.worstRatio(
        analytic: dw, { GradientCheck.dot(Convolution.forwardNaive(x, weight: $0, bias: b, geometry: g), r) }, at: w)
        <= 1)
    #expect(
      GradientCheck.worstRatio(
        analytic: db, { GradientCheck.dot(Convolution.forwardNaive(x, weight: w, bias: $0, geometry: g), r) }, at: b)
        <= 1)
  }

  @Test func knownSmallConvolution() {
    // x (1, 1, 3, 3) = 1…9, w (1, 1, 3, 3) all ones, pad 1: y[centre] = 45, y[corner] = 1+2+4+5 = 12
    let g = ConvGeometry(
      batch: 1, inputChannels: 1, outputChannels: 1, inputHeight: 3, inputWidth: 3,
      kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
    let x = Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
    let y = Convolution.forward(x, weight: Tensor(shape: [1, 1, 3, 3], repeating: 1), bias: nil, geometry: g)
    #expect(abs(y.data[4] - 45) < 1e-5)
    #expect(abs(y.data[0] - 12) < 1e-5)
  }
}

struct ConvolutionCacheTests {
  @Test func primitivesStayCorrectWhenTheCacheStartsOver() {
    // more distinct geometries than the primitive cache keeps: x (1, 1, h, 2) for h = 1…270
    let w = Tensor.random([1, 1, 3, 3], seed: 1)
    for h in 1...270 {
      let g = ConvGeometry(
        batch: 1, inputChannels: 1, outputChannels: 1, inputHeight: h, inputWidth: 2,
        kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
      let x = Tensor.random(g.inputShape, seed: UInt64(h))
      if h % 50 == 1 || h > 255 {
        let fast = Convolution.forward(x, weight: w, bias: nil, geometry: g)
        let ref = Convolution.forwardNaive(x, weight: w, bias: nil, geometry: g)
        #expect(Approx.worstRatio(fast.data, ref.data, rtol: 1e-4, atol: 1e-5) <= 1, "h = \(h)")
      } else {
        _ = Convolution.forward(x, weight: w, bias: nil, geometry: g)
      }
    }
  }
}
