// Release-mode search for a training recipe on the phantom cohort (issue: training that converges within its
// budget): imports the phantom in-process exactly as the storage service does (same preprocessing and patient
// split), draws a seeded random `fraction` of the training slices, trains one model with a preset, and prints
// one line with the test Dice of the best-on-validation parameters. One run per process, so a shell loop can run
// two at once on two cores (each with the preset's threads). Run:
//   OMP_WAIT_POLICY=PASSIVE .build/release/RecipeCheck PRESET.yaml|NAME FRACTION SEED [patients] [size] [phantom seed]

import DatasetFormats
import Dispatch
import Foundation
import Imaging
import Randomness
import Segmentation
import TensorCore

let args = CommandLine.arguments
guard args.count >= 4, let fraction = Double(args[2]), let seed = UInt64(args[3]) else {
  print("usage: RecipeCheck PRESET.yaml|NAME FRACTION SEED [patients=100] [size=64] [phantom seed=7]")
  exit(64)
}
let patients = args.count > 4 ? Int(args[4]) ?? 100 : 100
let size = args.count > 5 ? Int(args[5]) ?? 64 : 64
let phantomSeed = args.count > 6 ? UInt64(args[6]) ?? 7 : 7
let preset =
  FileManager.default.fileExists(atPath: args[1])
  ? try TrainingPreset(yaml: String(contentsOfFile: args[1], encoding: .utf8))
  : try TrainingPreset.builtIn(named: args[1])
Allocator.retainLargeBuffers()

// The cohort, as `activeseg import --format phantom --patients P --size S --seed X` stores it.
let parameters = PhantomParameters(patients: patients, height: size, width: size, seed: phantomSeed)
let importer = PhantomImporter(
  parameters: parameters, options: ImportOptions(targetSize: SliceSize(height: size, width: size)))
let plan = try importer.plan()
var train: [TrainingSlice] = [], validation: [LabeledVolume] = [], test: [LabeledVolume] = []
for entry in plan.volumes {
  let v = try importer.loadVolume(entry)
  let n = v.height * v.width
  switch v.split {
  case .train:
    for z in 0..<v.depth {
      train.append(
        TrainingSlice(
          height: v.height, width: v.width, image: Array(v.image[(z * n)..<((z + 1) * n)]),
          label: Array(v.label![(z * n)..<((z + 1) * n)])))
    }
  case .val, .test:
    let volume = LabeledVolume(
      depth: v.depth, height: v.height, width: v.width, image: v.image, label: v.label!,
      spacing: [v.spacing[2], v.spacing[1], v.spacing[0]])
    if v.split == .val { validation.append(volume) } else { test.append(volume) }
  }
}

// Random selection of Int(N × fraction) slices (the schedule's count), seeded.
var pickRNG = SplitMix64(seed: SplitMix64.derive(seed, 99))
let count = max(1, Int(Double(train.count) * fraction))
let picked = RandomDraws.permutation(train.count, using: &pickRNG).prefix(count).map { train[$0] }
let trainer = SegmentationTrainer(preset: preset, classes: 4, kind: .full, seed: seed)
let iterations = preset.iterations(labeledFraction: fraction)
let start = DispatchTime.now()
let result = try trainer.train(slices: picked, validation: validation, labeledFraction: fraction)
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
let model = try SegmentationModel(checkpoint: result.checkpoint)
let metrics = model.evaluate(test)
let curve = result.validations.map { String(format: "%d:%.2f", $0.iteration, $0.meanDice) }.joined(separator: " ")
print(
  String(
    format:
      "RECIPE preset=%@ fraction=%.3f seed=%llu pool=%d labeled=%d iterations=%d best_iteration=%d seconds=%.1f val=%.4f test=%.4f classes=%@ curve=%@",
    preset.name, fraction, seed, train.count, count, iterations, result.bestIteration, seconds,
    result.bestMetrics?.meanDice ?? .nan, metrics.meanDice,
    metrics.perClass.map { String(format: "%.3f", $0.dice) }.joined(separator: ","), curve))
