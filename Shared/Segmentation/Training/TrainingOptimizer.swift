// The optimiser a training preset names (SGD as the paper, Nesterov SGD, or Adam), behind one step call whose
// learning rate the poly schedule sets before every step.

import NeuralNet

/// The preset's optimiser with its per-parameter state. Exactly one of `sgd` and `adam` is set; each is
/// updated in place through its optional, so its moment buffers are never copied.
struct TrainingOptimizer {
  private var sgd: SGD?
  private var adam: Adam?

  init(preset: TrainingPreset) {
    let lr = Float(preset.baseLearningRate), decay = Float(preset.weightDecay)
    switch preset.resolvedOptimizer {
    case .sgd: sgd = SGD(learningRate: lr, momentum: Float(preset.momentum), weightDecay: decay)
    case .nesterov: sgd = SGD(learningRate: lr, momentum: Float(preset.momentum), weightDecay: decay, nesterov: true)
    case .adam: adam = Adam(learningRate: lr, weightDecay: decay)
    }
  }

  /// The rate of the next step.
  var learningRate: Float {
    get { sgd?.learningRate ?? adam!.learningRate }
    set {
      if sgd != nil { sgd!.learningRate = newValue } else { adam!.learningRate = newValue }
    }
  }

  /// Updates every parameter of `store` from its gradient.
  mutating func step(_ store: inout ParameterStore) {
    if sgd != nil { sgd!.step(&store) } else { adam!.update(&store) }
  }
}
