// Training settings as data (architecture §7, method spec §2.5): image size, optimiser, iteration budget,
// validation cadence, ensemble size and network width. Built-in presets: `paper`, `cpu`, `smoke`.

import NeuralNet

/// One training configuration. Written as YAML (snake_case keys) next to every experiment's results and stored
/// as JSON in every checkpoint. Load user text with `TrainingPreset(yaml:)`, which validates every key.
public struct TrainingPreset: Codable, Sendable, Hashable {
  /// Preset name (`paper`, `cpu`, `smoke`, or a user's own).
  public var name: String
  /// Slices are resized (nearest neighbour) to image_size × image_size for training and inference.
  public var imageSize: Int
  /// Slices per SGD step (6 in the paper).
  public var batchSize: Int
  /// Base learning rate of the poly schedule (0.01).
  public var baseLearningRate: Double
  /// SGD momentum (0.9).
  public var momentum: Double
  /// L2 weight decay (1e-4).
  public var weightDecay: Double
  /// Exponent of the poly decay (0.9).
  public var polyPower: Double
  /// Iterations at a labeled fraction of 1.0; a run trains Int(max_iterations × fraction) (paper 60000).
  public var maxIterations: Int
  /// Lower bound on a run's iterations (so tiny fractions still converge on a CPU).
  public var minIterations: Int
  /// Upper bound on a run's iterations; nil means no bound (the paper has none).
  public var iterationCap: Int?
  /// Validate every this many iterations, and at the end (paper 200).
  public var validationInterval: Int
  /// Models trained per round (paper 5).
  public var ensembleSize: Int
  /// UNet feature width per level (paper 16-32-64-128-256).
  public var channels: [Int]
  /// Element-wise dropout per encoder level (paper 0.05, 0.1, 0.2, 0.3, 0.5).
  public var dropout: [Double]
  /// Compute threads for one training run; 0 means every core.
  public var threads: Int
  /// Random rot-flip / rotation augmentation of method spec §2.2.
  public var augmentation: Bool
  /// The optimiser (`sgd` as the paper, `nesterov`, or `adam`); nil in presets written before the key existed
  /// means `sgd`. Momentum applies to the SGD kinds; Adam uses betas (0.9, 0.999) and base_lr.
  public var optimizer: OptimizerKind?

  /// The optimiser, `sgd` when unset.
  public var resolvedOptimizer: OptimizerKind { optimizer ?? .sgd }

  public init(
    name: String, imageSize: Int, batchSize: Int = 6, baseLearningRate: Double = 0.01, momentum: Double = 0.9,
    weightDecay: Double = 1e-4, polyPower: Double = 0.9, maxIterations: Int, minIterations: Int = 1,
    iterationCap: Int? = nil, validationInterval: Int = 200, ensembleSize: Int = 5,
    channels: [Int] = [16, 32, 64, 128, 256], dropout: [Double] = [0.05, 0.1, 0.2, 0.3, 0.5],
    threads: Int = 0, augmentation: Bool = true, optimizer: OptimizerKind? = nil
  ) {
    self.name = name
    self.imageSize = imageSize
    self.batchSize = batchSize
    self.baseLearningRate = baseLearningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.polyPower = polyPower
    self.maxIterations = maxIterations
    self.minIterations = minIterations
    self.iterationCap = iterationCap
    self.validationInterval = validationInterval
    self.ensembleSize = ensembleSize
    self.channels = channels
    self.dropout = dropout
    self.threads = threads
    self.augmentation = augmentation
    self.optimizer = optimizer
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, imageSize = "image_size", batchSize = "batch_size", baseLearningRate = "base_lr", momentum
    case weightDecay = "weight_decay", polyPower = "poly_power", maxIterations = "max_iterations"
    case minIterations = "min_iterations", iterationCap = "iteration_cap", validationInterval = "validation_interval"
    case ensembleSize = "ensemble_size", channels, dropout, threads, augmentation, optimizer
  }

  /// The optimisers a preset may name.
  public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// SGD with (heavy-ball) momentum and L2 weight decay, as the paper (method spec §2.5).
    case sgd
    /// SGD with Nesterov momentum.
    case nesterov
    /// Adam with L2 weight decay added to the gradient (`torch.optim.Adam`).
    case adam
  }

  // MARK: - Derived settings

  /// Iterations of one run at cumulative labeled `fraction` (0...1]: Int(max_iterations × fraction) as upstream
  /// computes it (double product, truncated), raised to min_iterations and lowered to iteration_cap.
  public func iterations(labeledFraction fraction: Double) -> Int {
    var n = max(Int(Double(maxIterations) * fraction), minIterations)
    if let cap = iterationCap { n = min(n, cap) }
    return max(n, 1)
  }

  /// The network shape for `classes` output classes and `inputChannels` image channels.
  public func networkConfig(classes: Int, inputChannels: Int = 1) -> UNetConfig {
    UNetConfig(inputChannels: inputChannels, classes: classes, channels: channels, dropout: dropout.map { Float($0) })
  }

  /// The poly learning-rate schedule of a run with `iterations` steps.
  public func schedule(iterations: Int) -> PolyLR {
    PolyLR(baseLearningRate: Float(baseLearningRate), maxIterations: iterations, power: Float(polyPower))
  }
}
