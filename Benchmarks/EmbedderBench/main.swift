// Micro benchmark: one contrastive training step of the GCL encoder (method spec §3.2, §3.6–3.7), i.e. the real
// `ContrastiveTrainer.step`: two forward passes (views i and j of a batch of groups), the weighted NT-Xent + group
// losses, two backward passes, Adam. Prints s/step, views/s, a phase breakdown and peak RSS. Run in release:
//   swift run -c release EmbedderBench [steps] [threads] [sizes, e.g. 128,256] [cpu|paper|tiny]

import Dispatch
import Foundation
import MetricLearning
import NeuralNet
import Randomness
import TensorCore

func seconds(since start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// The process with its libraries loaded, before any tensor: the peak is also reported net of it.
let baselineRSS: Int = {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss / 1024
}()
let arguments = CommandLine.arguments
if arguments.count > 1, arguments[1] == "layers" {
  let size = arguments.count > 2 ? Int(arguments[2]) ?? 256 : 256
  ComputeThreads.set(arguments.count > 3 ? Int(arguments[3]) ?? ComputeThreads.available : ComputeThreads.available)
  Allocator.retainLargeBuffers()
  LayerProfile.run(encoder: arguments.count > 4 && arguments[4] == "paper" ? .paper : .cpu, size: size, batch: 9)
  exit(0)
}
let steps = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
let threads = arguments.count > 2 ? Int(arguments[2]) ?? ComputeThreads.available : ComputeThreads.available
let sizes = arguments.count > 3 ? arguments[3].split(separator: ",").compactMap { Int($0) } : [128, 256]
let presetName = arguments.count > 4 ? arguments[4] : "cpu"
let presets: [String: EncoderConfig] = ["cpu": .cpu, "paper": .paper, "tiny": .tiny]
guard let encoder = presets[presetName] else {
  print("unknown encoder preset '\(presetName)'; use cpu, paper or tiny")
  exit(2)
}
ComputeThreads.set(threads)
Allocator.retainLargeBuffers()

let config = ContrastiveTrainingConfig(encoder: encoder, sampler: .acdc, loss: .acdcPaper, seed: 1)
let trainer = try ContrastiveTrainer(config: config)
let batch = config.sampler.batchSize
let layout = GroupLayout(batchSize: batch, roles: config.sampler.roles)
let parameterCount = trainer.initialParameters().parameterCount
print(
  "EmbedderBench: encoder '\(presetName)' (stem \(encoder.stem), width \(encoder.baseChannels), blocks \(encoder.blocksPerStage), "
    + "head \(encoder.featureDimension)→\(encoder.featureDimension)→\(encoder.projectionDimension)), batch \(batch) slices "
    + "in groups of \(layout.groupSize) = \(2 * batch) views, NT-Xent + volume/patient losses, Adam; "
    + "\(steps) timed steps after 1 warm-up, \(threads) threads; parameters=\(parameterCount)")

for size in sizes {
  var store = trainer.initialParameters()
  var adam = Adam(learningRate: config.learningRate, weightDecay: config.weightDecay)
  var rng = SplitMix64(seed: 99)
  let xi = Tensor(uniform: [batch, 1, size, size], in: 0...1, using: &rng)
  let xj = Tensor(uniform: [batch, 1, size, size], in: 0...1, using: &rng)
  _ = trainer.step(xi, xj, layout: layout, store: &store, optimizer: &adam)  // warm-up: oneDNN primitives
  var total = 0.0
  for _ in 0..<steps {
    let t0 = DispatchTime.now()
    _ = trainer.step(xi, xj, layout: layout, store: &store, optimizer: &adam)
    total += seconds(since: t0)
  }
  // The same sequence of calls once more, timed phase by phase (for profiling; not part of the figure).
  let net = trainer.net
  var t = DispatchTime.now()
  store.zeroGradients()
  let (_, zi, ci) = net.project(xi, &store)
  let (_, zj, cj) = net.project(xj, &store)
  let forward = seconds(since: t)
  t = DispatchTime.now()
  let p = zi.shape[1]
  let (_, dz, _) = ContrastiveLoss.total(
    Tensor(shape: [2 * batch, p], data: zi.data + zj.data), layout: layout, config: config.loss)
  let loss = seconds(since: t)
  t = DispatchTime.now()
  net.accumulateGradients(Tensor(shape: [batch, p], data: Array(dz.data[0..<(batch * p)])), ci, &store)
  net.accumulateGradients(Tensor(shape: [batch, p], data: Array(dz.data[(batch * p)...])), cj, &store)
  let backward = seconds(since: t)
  t = DispatchTime.now()
  adam.update(&store)
  let update = seconds(since: t)
  let per = total / Double(steps)
  print(
    "\(size)×\(size): \(String(format: "%.3f", per)) s/step, \(String(format: "%.2f", Double(2 * batch) / per)) views/s "
      + String(format: "(forward %.3f, loss %.4f, backward %.3f, adam %.4f s)", forward, loss, backward, update))
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
  "peak_rss_mb=\(usage.ru_maxrss / 1024) rss_baseline_mb=\(baselineRSS) rss_net_mb=\(usage.ru_maxrss / 1024 - baselineRSS)"
)
