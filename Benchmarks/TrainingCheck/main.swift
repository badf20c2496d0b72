// Release-mode check of one training run: trains a preset on a synthetic cardiac-like task with 2 threads and
// prints the time and the validation Dice. Run:
//   OMP_WAIT_POLICY=PASSIVE swift run -c release TrainingCheck [preset] [kind full|scribble] [training volumes]
//       [iterations] [image_size] [channels e.g. 8,16,32,64,128] [threads]

import Dispatch
import Randomness
import Segmentation
import TensorCore

let args = CommandLine.arguments
let presetName = args.count > 1 ? args[1] : "cpu"
let kind = AnnotationKind(rawValue: args.count > 2 ? args[2] : "full") ?? .full
let trainingVolumes = args.count > 3 ? Int(args[3]) ?? 4 : 4
var preset = try TrainingPreset.builtIn(named: presetName)
if args.count > 5, let size = Int(args[5]) { preset.imageSize = size }
if args.count > 6 {
  preset.channels = args[6].split(separator: ",").compactMap { Int($0) };
  preset.dropout = Array([0.05, 0.1, 0.2, 0.3, 0.5].prefix(preset.channels.count))
}
preset.threads = args.count > 7 ? Int(args[7]) ?? 2 : 2
Allocator.retainLargeBuffers()

var rng = SplitMix64(seed: 7)
let stored = 128
let train = (0..<trainingVolumes).map { _ in SyntheticHearts.volume(depth: 8, size: stored, using: &rng) }
let validation = (0..<4).map { _ in SyntheticHearts.volume(depth: 8, size: stored, using: &rng) }
let slices = SyntheticHearts.slices(train, kind: kind)
let iterations = args.count > 4 ? Int(args[4]) : nil
let trainer = SegmentationTrainer(preset: preset, classes: 4, kind: kind, seed: 1)
print(
  "TrainingCheck: preset \(preset.name) \(preset.imageSize)×\(preset.imageSize) channels \(preset.channels), \(kind), "
    + "\(slices.count) training slices, \(validation.count) validation volumes, iterations \(iterations ?? preset.iterations(labeledFraction: 0.05)), \(preset.threads) threads"
)
let start = DispatchTime.now()
let result = try trainer.train(
  slices: slices, validation: validation, labeledFraction: 0.05, iterations: iterations,
  progress: { p in
    if let d = p.validationDice {
      let t = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      print(
        "  iter \(p.iteration)/\(p.totalIterations) loss \(p.loss) lr \(p.learningRate) val Dice \(d) (\(Int(t)) s)")
    }
  })
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
let m = result.bestMetrics!
print(
  "done: \(result.completedIterations) iterations in \(String(format: "%.1f", seconds)) s "
    + "(\(String(format: "%.3f", seconds / Double(result.completedIterations))) s/iter incl. validation)")
print(
  "best iteration \(result.bestIteration): mean Dice \(String(format: "%.3f", m.meanDice)), per class "
    + m.perClass.map { String(format: "%.3f", $0.dice) }.joined(separator: " ")
    + ", mean HD95 \(String(format: "%.2f", m.meanHD95)) voxels / \(String(format: "%.2f", m.meanHD95Millimetres)) mm")
