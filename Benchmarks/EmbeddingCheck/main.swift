// Release-mode check of GCL training: 5-NN same-volume purity before/after training on a synthetic cohort, and
// contrastive training throughput (views/s). Usage:
//   EmbeddingCheck quality [epochs] [lr] [size] [brightnessMax] [tiny|w8|cpu] [threads] [patients] [slices]
//   EmbeddingCheck throughput [size] [steps] [threads] [cpu|paper]
// Run with OMP_WAIT_POLICY=PASSIVE.

import Foundation
import MetricLearning
import NeuralNet
import Randomness
import TensorCore

let args = CommandLine.arguments
let mode = args.count > 1 ? args[1] : "quality"
func arg(_ i: Int, _ d: String) -> String { args.count > i ? args[i] : d }

if mode == "quality" {
  ComputeThreads.set(Int(arg(7, "1"))!)
  let epochs = Int(arg(2, "12"))!, lr = Float(arg(3, "1e-3"))!, size = Int(arg(4, "12"))!
  let bright = Double(arg(5, "0.5"))!
  let enc: EncoderConfig =
    arg(6, "tiny") == "cpu"
    ? .cpu
    : arg(6, "tiny") == "w8"
      ? EncoderConfig(stem: .small, baseChannels: 8, blocksPerStage: [1, 1], projectionDimension: 16) : .tiny
  let data = SyntheticCohort(
    patients: Int(arg(8, "6"))!, volumes: 2, slices: Int(arg(9, "6"))!, size: size, brightness: 0...bright, seed: 11)
  let config = ContrastiveTrainingConfig(encoder: enc, epochs: epochs, learningRate: lr, seed: 3)
  let trainer = try ContrastiveTrainer(config: config)
  let initial = trainer.initialParameters()
  let start = Date()
  let result = try trainer.train(
    images: data.images, slices: data.keys, initial: initial,
    progress: { e, l in if e % 5 == 0 { print("epoch \(e) loss \(l)") } })
  let before = NeighbourPurity.mean(
    FeatureExtractor(config: enc, store: initial).embeddings(data.images), labels: data.volumeLabels)
  let after = NeighbourPurity.mean(
    FeatureExtractor(config: enc, store: result.store).embeddings(data.images), labels: data.volumeLabels)
  print(String(format: "purity untrained %.3f trained %.3f (%.1f s)", before, after, Date().timeIntervalSince(start)))
} else {
  let size = Int(arg(2, "128"))!, steps = Int(arg(3, "5"))!, threads = Int(arg(4, "2"))!
  ComputeThreads.set(threads)
  Allocator.retainLargeBuffers()
  let encoder: EncoderConfig = arg(5, "cpu") == "paper" ? .paper : .cpu
  let config = ContrastiveTrainingConfig(encoder: encoder, sampler: .acdc, seed: 1)
  let trainer = try ContrastiveTrainer(config: config)
  var store = trainer.initialParameters()
  var adam = Adam(learningRate: 3e-4, weightDecay: 1e-6)
  let b = config.sampler.batchSize
  let layout = GroupLayout(batchSize: b, roles: config.sampler.roles)
  var inputRNG = SplitMix64(seed: 99)
  let xi = Tensor(uniform: [b, 1, size, size], in: 0...1, using: &inputRNG)
  let xj = Tensor(uniform: [b, 1, size, size], in: 0...1, using: &inputRNG)
  _ = trainer.step(xi, xj, layout: layout, store: &store, optimizer: &adam)  // warm-up (oneDNN primitives)
  var t = Date()
  for _ in 0..<steps { _ = trainer.step(xi, xj, layout: layout, store: &store, optimizer: &adam) }
  let stepTime = Date().timeIntervalSince(t) / Double(steps)
  // augmentation cost per view
  let augment = ContrastiveAugmentation(config: .paper)
  var rng = SplitMix64(seed: 2)
  let image = GrayImage(height: size, width: size, pixels: Array(xi.data[0..<(size * size)]))
  t = Date()
  for _ in 0..<50 { _ = augment(image, using: &rng) }
  let augTime = Date().timeIntervalSince(t) / 50
  print(
    String(
      format:
        "\(arg(5, "cpu")) config %d×%d, batch %d (2 views), %d threads: %.3f s/step = %.1f views/s (network+loss+Adam); augmentation %.2f ms/view",
      size, size, b, threads, stepTime, Double(2 * b) / stepTime, augTime * 1000))
  print("with augmentation: \(String(format: "%.1f", Double(2 * b) / (stepTime + Double(2 * b) * augTime))) views/s")
}
