// The optimiser a training preset names (SGD as the paper, Nesterov SGD, or Adam), behind one step call whose
// learning rate the poly schedule sets before every step.

import NeuralNet

/// The preset's optimiser with its per-parameter state.
struct TrainingOptimizer {
    private enum State {
        case sgd(SGD)
        case adam(Adam)
    }

    private var state: State

    init(preset: TrainingPreset) {
        let lr = Float(preset.baseLearningRate), decay = Float(preset.weightDecay)
        switch preset.resolvedOptimizer {
        case .sgd: state = .sgd(SGD(learningRate: lr, momentum: Float(preset.momentum), weightDecay: decay))
        case .nesterov: state = .sgd(SGD(learningRate: lr, momentum: Float(preset.momentum), weightDecay: decay, nesterov: true))
        case .adam: state = .adam(Adam(learningRate: lr, weightDecay: decay))
        }
    }

    /// The rate of the next step.
    var learningRate: Float {
        get {
            switch state {
            case .sgd(let sgd): sgd.learningRate
            case .adam(let adam): adam.learningRate
            }
        }
        set {
            switch state {
            case .sgd(var sgd): sgd.learningRate = newValue; state = .sgd(sgd)
            case .adam(var adam): adam.learningRate = newValue; state = .adam(adam)
            }
        }
    }

    /// Updates every parameter of `store` from its gradient.
    mutating func step(_ store: inout ParameterStore) {
        switch state {
        case .sgd(var sgd):
            state = .adam(Adam())  // drop the reference so the buffers are updated in place
            sgd.step(&store)
            state = .sgd(sgd)
        case .adam(var adam):
            state = .sgd(SGD())
            adam.update(&store)
            state = .adam(adam)
        }
    }
}
