// Micro benchmark of the trainer's Predict: MC-dropout class probabilities of the method spec's UNet (§2.1,
// 1,944,324 parameters, 4 classes) over a pool of random slices, chunked as TrainerJobs stores them (32 slices a
// chunk, one inference graph per job), through the fused blocked-layout InferenceGraph. Also times the
// layer-by-layer reference path (`SegmentationModel.logits`, batches of 8, as Predict ran before) on a small part
// of the pool. Run in release:
//   swift run -c release PredictBench [passes] [threads] [size] [pool] [reference pool]

import Dispatch
import Foundation
import NeuralNet
import Randomness
import Segmentation
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
func argument(_ i: Int, _ fallback: Int) -> Int { arguments.count > i ? Int(arguments[i]) ?? fallback : fallback }
let passes = argument(1, 40), threads = argument(2, ComputeThreads.available), size = argument(3, 64)
let poolSize = argument(4, 1000), referencePool = argument(5, max(1, poolSize / 50))
let chunk = 32  // TrainerJobs.predictChunk
ComputeThreads.set(threads)
Allocator.retainLargeBuffers()

var preset = TrainingPreset.cpu
preset.imageSize = size
let config = SegmentationModelConfig(preset: preset, network: .wsl4mis, kind: .full, seed: 1, member: 0)
var rng = SplitMix64(seed: 1)
let model = SegmentationModel(config: config, using: &rng)
precondition(model.store.parameterCount == 1_944_324, "PredictBench expects the method spec's UNet")
let pool = (0..<poolSize).map { _ in
  Plane(height: size, width: size, values: (0..<(size * size)).map { _ in Float(rng.next() >> 40) / 16_777_216 })
}

// MARK: - Fused graph, as Predict runs it

let graph = model.inferenceGraph()
var checksum = 0.0
_ = model.predictProbabilities(Array(pool.prefix(min(chunk, poolSize))), mcPasses: passes, seed: 99, graph: graph)  // compile, warm up
let started = DispatchTime.now()
for start in stride(from: 0, to: poolSize, by: chunk) {
  let part = Array(pool[start..<min(start + chunk, poolSize)])
  let probabilities = model.predictProbabilities(part, mcPasses: passes, seed: UInt64(start), graph: graph)
  checksum += Double(probabilities[0].data[0])
}
let fused = seconds(since: started)

// MARK: - Layer-by-layer reference (the path Predict took before the graph)

var reference = Double.nan
if referencePool > 0 {
  let part = Array(pool.prefix(referencePool))
  var refRNG = SplitMix64(seed: 5)
  let t0 = DispatchTime.now()
  for _ in 0..<passes {
    for start in stride(from: 0, to: part.count, by: 8) {
      let batch = part[start..<min(start + 8, part.count)]
      let x = Tensor(shape: [batch.count, 1, size, size], data: batch.flatMap(\.values))
      checksum += Double(Softmax.forward(model.logits(x, dropout: true, using: &refRNG)).data[0])
    }
  }
  reference = Double(part.count) / seconds(since: t0)
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
  String(
    format: "ours size=%d pool=%d passes=%d threads=%d batch=%d seconds=%.2f slices_per_s=%.2f forwards_per_s=%.1f "
      + "reference_slices_per_s=%.3f reference_pool=%d compilations=%d peak_rss_mb=%d rss_baseline_mb=%d "
      + "rss_net_mb=%d checksum=%.4f",
    size, poolSize, passes, threads, SegmentationModel.inferenceBatch(imageSize: size), fused, Double(poolSize) / fused,
    Double(poolSize * passes) / fused, reference, referencePool, graph.compilations, usage.ru_maxrss / 1024,
    baselineRSS, usage.ru_maxrss / 1024 - baselineRSS, checksum))
