// Micro benchmark of single ops at UNet sizes (batch 6): oneDNN convolutions per pass, batch norm, activations,
// pooling, concat. Run in release: swift run -c release OpBench [size]

import Dispatch
import Foundation
import TensorCore
import Randomness

func time(_ label: String, repeats: Int = 3, _ body: () -> Void) {
  body()
  let t0 = DispatchTime.now()
  for _ in 0..<repeats { body() }
  let s = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9 / Double(repeats)
  print(String(format: "%-44@ %8.2f ms", label as NSString, s * 1000))
}

let size = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 128 : 128
if CommandLine.arguments.count > 2, let t = Int(CommandLine.arguments[2]) { ComputeThreads.set(t) }
var rng = SplitMix64(seed: 1)
for (cin, cout, hw) in [
  (1, 16, size), (16, 16, size), (32, 32, size / 2), (64, 64, size / 4), (256, 256, size / 16), (32, 16, size)
] {
  let g = ConvGeometry(
    batch: 6, inputChannels: cin, outputChannels: cout, inputHeight: hw, inputWidth: hw,
    kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
  let x = Tensor(uniform: g.inputShape, in: -1...1, using: &rng),
    w = Tensor(uniform: g.weightShape, in: -0.1...0.1, using: &rng)
  let b = Tensor(shape: [cout]), dy = Tensor(uniform: g.outputShape, in: -1...1, using: &rng)
  print("conv \(cin)→\(cout) @\(hw): \(Convolution.implementations(g))")
  time("  forward") { _ = Convolution.forward(x, weight: w, bias: b, geometry: g) }
  time("  backward data") { _ = Convolution.backwardData(dy, weight: w, geometry: g) }
  time("  backward weights") { _ = Convolution.backwardWeights(x, dy, geometry: g) }
}
let up = ConvGeometry(
  batch: 6, inputChannels: 32, outputChannels: 16, inputHeight: size / 2, inputWidth: size / 2,
  kernelHeight: 2, kernelWidth: 2, stride: 2, padding: 0, transposed: true)
print("deconv 32→16 @\(size / 2): \(Convolution.implementations(up))")
let ux = Tensor(uniform: up.inputShape, in: -1...1, using: &rng),
  uw = Tensor(uniform: up.weightShape, in: -1...1, using: &rng)
let udy = Tensor(uniform: up.outputShape, in: -1...1, using: &rng)
time("  forward") { _ = Convolution.forward(ux, weight: uw, bias: nil, geometry: up) }
time("  backward data") { _ = Convolution.backwardData(udy, weight: uw, geometry: up) }
time("  backward weights") { _ = Convolution.backwardWeights(ux, udy, geometry: up) }

let a = Tensor(uniform: [6, 16, size, size], in: -1...1, using: &rng)
let gamma = [Float](repeating: 1, count: 16), beta = [Float](repeating: 0, count: 16)
let (_, _, _, cache) = BatchNorm.trainForward(a, gamma: gamma, beta: beta)
time("batchnorm train forward 16ch") { _ = BatchNorm.trainForward(a, gamma: gamma, beta: beta) }
time("batchnorm backward 16ch") { _ = BatchNorm.backward(a, gamma: gamma, cache: cache) }
time("leaky relu forward 16ch") { _ = Activation.leakyReLU(a) }
time("leaky relu backward 16ch") { _ = Activation.leakyReLUBackward(a, input: a) }
time("maxpool forward 16ch") { _ = MaxPool.forward(a) }
time("concat 16+16ch") { _ = Concat.channels(a, a) }
time("softmax 16ch") { _ = Softmax.forward(a) }
