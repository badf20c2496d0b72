// Kaiming-normal weights (PyTorch `init.kaiming_normal_` with its defaults: fan_in, leaky_relu
// a = 0, so std = √2 / √fan_in) and zero biases, as VAAL's `kaiming_init` sets them.
// Belongs in NeuralNet (MetricLearning has a fan-out twin).

import NeuralNet
import TensorCore

/// Re-initialises registered weights the way VAAL's `kaiming_init` does.
enum KaimingNormal {
  /// Replaces `<name>.weight` with N(0, 2/fan_in) and `<name>.bias` (if any) with zeros.
  /// fan_in = weight.count / weight.shape[0] (in·k·k for a conv, in for a linear layer).
  static func apply(_ name: String, in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    let weight = store["\(name).weight"]
    let fanIn = weight.count / max(weight.shape[0], 1)
    let std = (2 / Float(max(fanIn, 1))).squareRoot()
    store.load("\(name).weight", Tensor.normal(weight.shape, std: std, using: &rng))
    if let bias = store.values["\(name).bias"] { store.load("\(name).bias", Tensor(shape: bias.shape)) }
  }
}
