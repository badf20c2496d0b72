// How much of the machine a UNet training step uses: the step's convolution FLOPs counted from the
// architecture, against the machine's measured peak on the same threads: the faster of a large OpenBLAS
// SGEMM and a large, compute-bound oneDNN 3×3 convolution.

import Dispatch
import NeuralNet
import Randomness
import TensorCore

enum MachinePeak {
  /// Multiply-accumulates of one forward pass of `config`'s UNet on one `size`×`size` image (convolutions and
  /// transposed convolutions; pooling, norms and activations are negligible beside them).
  static func forwardMACs(_ config: UNetConfig, size: Int) -> Double {
    let c = config.channels.map(Double.init)
    func pixels(_ level: Int) -> Double { Double(size >> level) * Double(size >> level) }
    var macs = (Double(config.inputChannels) * c[0] + c[0] * c[0]) * 9 * pixels(0)  // in_conv
    for level in 1..<c.count { macs += (c[level - 1] * c[level] + c[level] * c[level]) * 9 * pixels(level) }
    for level in stride(from: c.count - 2, through: 0, by: -1) {
      macs += c[level + 1] * c[level] * pixels(level)  // 2×2 stride-2 transposed conv: 4 taps per input pixel
      macs += (2 * c[level] * c[level] + c[level] * c[level]) * 9 * pixels(level)  // ConvBlock(2c → c)
    }
    macs += c[0] * Double(config.classes) * 9 * pixels(0)  // out_conv
    return macs
  }

  /// FLOPs of one training step on `batch` images: forward, backward-data and backward-weights each cost
  /// about one forward (2 FLOPs per MAC).
  static func stepFLOPs(_ config: UNetConfig, size: Int, batch: Int) -> Double {
    3 * 2 * forwardMACs(config, size: size) * Double(batch)
  }

  /// The measured peak: max of `sgemmGFLOPs()` and `convolutionGFLOPs()`.
  static func measuredGFLOPs() -> (peak: Double, sgemm: Double, convolution: Double) {
    let sgemm = sgemmGFLOPs(), convolution = convolutionGFLOPs()
    return (max(sgemm, convolution), sgemm, convolution)
  }

  /// Measured oneDNN forward GFLOP/s of a 3×3 convolution 256 → 256 channels at 32×32, batch 6 (best of 5).
  static func convolutionGFLOPs() -> Double {
    var rng = SplitMix64(seed: 4)
    let g = ConvGeometry(
      batch: 6, inputChannels: 256, outputChannels: 256, inputHeight: 32, inputWidth: 32,
      kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
    let x = Tensor(uniform: [6, 256, 32, 32], in: -0.5...0.5, using: &rng)
    let w = Tensor(uniform: [256, 256, 3, 3], in: -0.05...0.05, using: &rng)
    _ = Convolution.forward(x, weight: w, bias: nil, geometry: g)
    var best = Double.infinity
    for _ in 0..<5 {
      let start = DispatchTime.now()
      _ = Convolution.forward(x, weight: w, bias: nil, geometry: g)
      best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
    return 2 * 6 * 256 * 256 * 9 * 32 * 32 / best / 1e9
  }

  /// Measured SGEMM GFLOP/s (square 1,536 matrices, best of 5) on the current thread setting.
  static func sgemmGFLOPs() -> Double {
    let n = 1536
    var rng = SplitMix64(seed: 3)
    let a = Tensor(uniform: [n, n], in: -0.5...0.5, using: &rng)
    let b = Tensor(uniform: [n, n], in: -0.5...0.5, using: &rng)
    _ = Gemm.matmul(a, b)
    var best = Double.infinity
    for _ in 0..<5 {
      let start = DispatchTime.now()
      _ = Gemm.matmul(a, b)
      best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
    return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
  }
}
