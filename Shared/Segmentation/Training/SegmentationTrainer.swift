// One training run of method spec §2.3–2.5: UNet + 0.5·(CE + Dice) for full masks, UNetCCT + DMPLS for scribbles;
// batches from a seeded shuffle (drop_last = False, reshuffled every epoch), SGD (or the preset's optimiser) with poly LR, validation every
// N iterations and at the end, keeping the parameters with the strictly best mean 3D Dice.

import NeuralNet
import Randomness
import TensorCore

/// Trains one ensemble member. Every random draw comes from streams derived from (seed, member).
public struct SegmentationTrainer: Sendable {
  public var preset: TrainingPreset
  /// Output classes, background included (4 for cardiac MRI).
  public var classes: Int
  public var kind: AnnotationKind
  public var seed: UInt64
  /// Ensemble member index (0..<ensemble_size); a different member gets different streams.
  public var member: Int
  /// Label value of unannotated pixels (4 upstream); must not be a class.
  public var ignoreLabel: UInt8

  public init(
    preset: TrainingPreset, classes: Int, kind: AnnotationKind, seed: UInt64, member: Int = 0, ignoreLabel: UInt8 = 4
  ) {
    self.preset = preset
    self.classes = classes
    self.kind = kind
    self.seed = seed
    self.member = member
    self.ignoreLabel = ignoreLabel
  }

  /// Random streams of one run.
  enum Stream: UInt64 { case initialisation = 1, shuffle, augmentation, dropout, beta }

  func rng(_ stream: Stream) -> SplitMix64 {
    SplitMix64(seed: SplitMix64.derive(seed, UInt64(member), stream.rawValue))
  }

  /// The config of the model this trainer builds.
  public var modelConfig: SegmentationModelConfig {
    SegmentationModelConfig(
      preset: preset, network: preset.networkConfig(classes: classes), kind: kind, seed: seed, member: member)
  }

  /// Trains on `slices` for `preset.iterations(labeledFraction:)` steps (or `iterations` when given), validating
  /// on `validation`. `progress` is called after every step; `isCancelled` before every step (true → throws
  /// `.cancelled`). Throws `.invalidData` / `.invalidPreset` for unusable inputs.
  public func train(
    slices: [TrainingSlice], validation: [LabeledVolume], labeledFraction: Double = 1,
    iterations: Int? = nil,
    progress: (TrainingProgress) -> Void = { _ in },
    isCancelled: () -> Bool = { false }
  ) throws -> TrainingResult {
    try preset.validate()
    try checkInputs(slices: slices, validation: validation)
    if preset.threads > 0 { ComputeThreads.set(preset.threads) }
    let total = iterations ?? preset.iterations(labeledFraction: labeledFraction)
    guard total >= 1 else {
      throw SegmentationError(.invalidData, "a training run needs at least 1 iteration, got \(total)")
    }
    let schedule = preset.schedule(iterations: total)
    let augmenter = SliceAugmenter(outputSize: preset.imageSize, enabled: preset.augmentation, ignoreLabel: ignoreLabel)
    let unet = UNet(config: modelConfig.network), cct = UNetCCT(config: modelConfig.network)
    var initRNG = rng(.initialisation), shuffleRNG = rng(.shuffle), augmentRNG = rng(.augmentation)
    var dropoutRNG = rng(.dropout), betaRNG = rng(.beta)
    var model = SegmentationModel(config: modelConfig, using: &initRNG)
    var sgd = TrainingOptimizer(preset: preset)
    var best = -1.0, bestStore = model.store, bestMetrics: EvaluationSummary? = nil, bestIteration = 0
    var losses: [Float] = [], validations: [ValidationPoint] = []
    losses.reserveCapacity(total)
    var sampler = EpochSampler(count: slices.count, batchSize: preset.batchSize)
    var iteration = 0
    while iteration < total {
      if isCancelled() {
        throw SegmentationError(.cancelled, "training was cancelled after \(iteration) of \(total) iterations")
      }
      let batch = sampler.next(using: &shuffleRNG)
      let (x, labels) = makeBatch(batch.map { slices[$0] }, augmenter: augmenter, using: &augmentRNG)
      // poly LR is applied after each step with the pre-increment counter, so steps 0 and 1 use the base rate
      sgd.learningRate = schedule.learningRate(at: max(iteration - 1, 0))
      model.store.zeroGradients()
      let loss: Float
      switch kind {
      case .full:
        let (logits, cache) = unet.forward(x, &model.store, training: true, using: &dropoutRNG)
        let l = DiceCELoss.compute(logits, labels, ignoreIndex: Int(ignoreLabel))
        unet.backward(l.gradient, cache, &model.store)
        loss = l.loss
      case .scribble:
        let (main, aux, cache) = cct.forward(x, &model.store, training: true, using: &dropoutRNG)
        let beta = Float(RandomDraws.unit(using: &betaRNG) + 1e-10)
        let l = DMPLSLoss.compute(main: main, aux: aux, scribble: labels, beta: beta, ignoreIndex: Int(ignoreLabel))
        cct.backward(main: l.gradientMain, aux: l.gradientAux, cache, &model.store)
        loss = l.loss
      }
      sgd.step(&model.store)
      iteration += 1
      losses.append(loss)
      var validated: Double? = nil
      if !validation.isEmpty && (iteration % preset.validationInterval == 0 || iteration == total) {
        let metrics = model.evaluate(validation)
        validated = metrics.meanDice
        validations.append(
          ValidationPoint(iteration: iteration, meanDice: metrics.meanDice, meanHD95: metrics.meanHD95))
        if metrics.meanDice > best {
          best = metrics.meanDice
          bestStore = model.store
          bestMetrics = metrics
          bestIteration = iteration
        }
      }
      progress(
        TrainingProgress(
          iteration: iteration, totalIterations: total, loss: loss,
          learningRate: sgd.learningRate, bestDice: best, validationDice: validated))
    }
    if validation.isEmpty { bestStore = model.store; bestIteration = total }
    let bestModel = SegmentationModel(config: modelConfig, store: bestStore)
    return TrainingResult(
      checkpoint: try bestModel.checkpoint(), bestMetrics: bestMetrics, bestIteration: bestIteration,
      completedIterations: iteration, plannedIterations: total, losses: losses, validations: validations)
  }

  /// Augments and resizes the chosen slices into x: (B, 1, S, S) and labels (B, S, S).
  func makeBatch(
    _ chosen: [TrainingSlice], augmenter: SliceAugmenter,
    using rng: inout some RandomNumberGenerator
  ) -> (Tensor, LabelMap) {
    let s = preset.imageSize
    var images: [Float] = [], labels: [UInt8] = []
    images.reserveCapacity(chosen.count * s * s)
    labels.reserveCapacity(chosen.count * s * s)
    for slice in chosen {
      let (image, label) = augmenter(image: slice.image, label: slice.label, using: &rng)
      images += image.values
      labels += label.values
    }
    return (Tensor(shape: [chosen.count, 1, s, s], data: images), LabelMap(shape: [chosen.count, s, s], values: labels))
  }

  /// Rejects empty training sets, label values that are neither a class nor the ignore label, and bad volumes.
  func checkInputs(slices: [TrainingSlice], validation: [LabeledVolume]) throws {
    guard classes >= 2 && classes <= Int(ignoreLabel) else {
      throw SegmentationError(
        .invalidData,
        "classes must be in 2...\(ignoreLabel) (the ignore label \(ignoreLabel) cannot be a class), got \(classes)")
    }
    guard !slices.isEmpty else {
      throw SegmentationError(.invalidData, "no labeled training slices; label at least one slice before training")
    }
    for (i, s) in slices.enumerated() {
      if let bad = s.label.values.first(where: { Int($0) >= classes && $0 != ignoreLabel }) {
        throw SegmentationError(
          .invalidData,
          "training slice \(i) has label value \(bad); allowed are 0..<\(classes) and \(ignoreLabel) (unannotated)")
      }
    }
    for (i, v) in validation.enumerated() {
      if let bad = v.label.first(where: { Int($0) >= classes }) {
        throw SegmentationError(
          .invalidData, "validation volume \(i) has label value \(bad); full masks must use 0..<\(classes)")
      }
    }
  }
}
