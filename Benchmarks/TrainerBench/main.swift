// Micro benchmark: one UNet training step (method spec §2.1 network, batch 6, SGD + 0.5·(CE + Dice)) at
// 128×128 and 256×256, printing seconds per step and images/s. Run in release:
//   swift run -c release TrainerBench [steps] [threads] [sizes, e.g. 128,256]

import Dispatch
import Foundation
import NeuralNet
import TensorCore
import Randomness

func seconds(_ start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// The process's peak resident set so far, in MB.
func peakRSSMB() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss / 1024
}
/// The process with its libraries loaded, before any tensor: the peak is also reported net of it.
let baselineRSS = peakRSSMB()
let arguments = CommandLine.arguments
let steps = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
let threads = arguments.count > 2 ? Int(arguments[2]) ?? ComputeThreads.available : ComputeThreads.available
let sizes = arguments.count > 3 ? arguments[3].split(separator: ",").compactMap { Int($0) } : [128, 256]
ComputeThreads.set(threads)
Allocator.retainLargeBuffers()
print(
  "TrainerBench: UNet \(UNetConfig.wsl4mis.channels), batch 6, \(steps) timed steps after 1 warm-up, \(threads) threads"
)
let measured = MachinePeak.measuredGFLOPs()
let peakGFLOPs = measured.peak
print(
  String(
    format: "machine peak on %d threads: %.1f GFLOP/s (OpenBLAS SGEMM %.1f, oneDNN 3x3 conv 256->256 %.1f)",
    threads, peakGFLOPs, measured.sgemm, measured.convolution))

for size in sizes {
  let net = UNet(config: .wsl4mis)
  var rng = SplitMix64(seed: 1)
  var store = net.makeParameters(using: &rng)
  var sgd = SGD(learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4)
  let x = Tensor(uniform: [6, 1, size, size], in: -1...1, using: &rng)
  let labels = LabelMap(
    shape: [6, size, size], values: (0..<(6 * size * size)).map { _ in UInt8.random(in: 0...3, using: &rng) })
  var phase = [Double](repeating: 0, count: 4)
  var total = 0.0
  for step in 0...steps {
    let t0 = DispatchTime.now()
    store.zeroGradients()
    let (logits, cache) = net.forward(x, &store, training: true, using: &rng)
    let t1 = DispatchTime.now()
    let loss = DiceCELoss.compute(logits, labels)
    let t2 = DispatchTime.now()
    net.backward(loss.gradient, cache, &store)
    let t3 = DispatchTime.now()
    sgd.step(&store)
    let elapsed = seconds(t0)
    if step > 0 {
      total += elapsed
      phase[0] += Double(t1.uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
      phase[1] += Double(t2.uptimeNanoseconds - t1.uptimeNanoseconds) / 1e9
      phase[2] += Double(t3.uptimeNanoseconds - t2.uptimeNanoseconds) / 1e9
      phase[3] += seconds(t3)
    }
  }
  let per = total / Double(steps)
  let parts = phase.map { String(format: "%.3f", $0 / Double(steps)) }
  let gflops = MachinePeak.stepFLOPs(.wsl4mis, size: size, batch: 6) / per / 1e9
  print(
    "\(size)×\(size): \(String(format: "%.3f", per)) s/step, \(String(format: "%.2f", 6 / per)) images/s "
      + "(forward \(parts[0]), loss \(parts[1]), backward \(parts[2]), sgd \(parts[3]) s); "
      + String(format: "conv GFLOP/s=%.1f peak_fraction=%.2f", gflops, gflops / peakGFLOPs))
}
let peak = peakRSSMB()
print("peak_rss_mb=\(peak) rss_baseline_mb=\(baselineRSS) rss_net_mb=\(peak - baselineRSS)")
