// Settings of the VAAL baseline (method spec §5.9; Sinha et al. 2019, "Variational Adversarial
// Active Learning"): network sizes, training length, optimiser and the discriminator-label quirk.

import ActiveLearning

/// VAAL hyper-parameters. Defaults are a CPU-sized network for 64×64 slices; `.paper` is the
/// published 256×256 network.
///
/// | key | default | spec |
/// |---|---|---|
/// | `channels` | 8, 16, 32, 64 (64 px) | 64, 128, 256, 512, 1024 (256 px) |
/// | `latentDimensions` | 32 | `latent_dim` 32 |
/// | `discriminatorWidth` | 512 | 512 |
/// | `epochs` | 50 | `num_epochs` 50 → iterations = 50·N // 128 |
/// | `iterations` | nil (use the formula) | — |
/// | `batchSize` | 128 (clamped to each set's size) | 128 |
/// | `vaeStepsPerIteration` / `discriminatorStepsPerIteration` | 2 / 1 | 2 / 1 |
/// | `learningRate` | 5e-4 (Adam, both nets) | 5e-4 |
/// | `adversaryWeight` | 1 | `adversary_param` 1 |
/// | `klWeight` | 1 | `vae_beta` 1 |
/// | `discriminatorUnlabeledTarget` | `.fixed` (0) | `.faithful` (1) [QUIRK] |
public struct VAALConfiguration: Sendable, Equatable, Codable {
  /// The label the discriminator step trains unlabeled latents toward.
  public enum DiscriminatorTarget: String, Sendable, Equatable, Codable {
    /// Target 1, as the published code (`unlab_fake_preds = torch.ones`): D learns nothing useful.
    case faithful
    /// Target 0, as the original VAAL: D separates labeled (1) from unlabeled (0).
    case fixed

    /// The BCE target for unlabeled latents in the discriminator step.
    public var unlabeledTarget: Float { self == .faithful ? 1 : 0 }
  }

  /// Encoder conv channels per level (4×4, stride 2, padding 1); the decoder mirrors them.
  public var channels: [Int]
  /// Latent size of μ and logvar.
  public var latentDimensions: Int
  /// Hidden width of the discriminator MLP.
  public var discriminatorWidth: Int
  /// Passes over the pool that set the iteration count, `epochs·N // batchSize`.
  public var epochs: Int
  /// Overrides the iteration count when set.
  public var iterations: Int?
  /// Batch size of the labeled and of the unlabeled loader (a set smaller than this is one batch).
  public var batchSize: Int
  /// VAE updates per iteration (each on fresh batches but the last).
  public var vaeStepsPerIteration: Int
  /// Discriminator updates per iteration.
  public var discriminatorStepsPerIteration: Int
  /// Adam learning rate of both networks.
  public var learningRate: Float
  /// Weight of the adversarial BCE term in the VAE loss.
  public var adversaryWeight: Float
  /// Weight of the KL term in the VAE loss.
  public var klWeight: Float
  /// Unlabeled target of the discriminator step (the spec's quirk switch).
  public var discriminatorUnlabeledTarget: DiscriminatorTarget
  /// Batch size when scoring the unlabeled pool.
  public var inferenceBatchSize: Int

  public init(
    channels: [Int] = [8, 16, 32, 64], latentDimensions: Int = 32, discriminatorWidth: Int = 512,
    epochs: Int = 50, iterations: Int? = nil, batchSize: Int = 128, vaeStepsPerIteration: Int = 2,
    discriminatorStepsPerIteration: Int = 1, learningRate: Float = 5e-4, adversaryWeight: Float = 1,
    klWeight: Float = 1, discriminatorUnlabeledTarget: DiscriminatorTarget = .fixed,
    inferenceBatchSize: Int = 128
  ) {
    self.channels = channels
    self.latentDimensions = latentDimensions
    self.discriminatorWidth = discriminatorWidth
    self.epochs = epochs
    self.iterations = iterations
    self.batchSize = batchSize
    self.vaeStepsPerIteration = vaeStepsPerIteration
    self.discriminatorStepsPerIteration = discriminatorStepsPerIteration
    self.learningRate = learningRate
    self.adversaryWeight = adversaryWeight
    self.klWeight = klWeight
    self.discriminatorUnlabeledTarget = discriminatorUnlabeledTarget
    self.inferenceBatchSize = inferenceBatchSize
  }

  /// The published network (256×256 slices, bottleneck 1024×8×8) with the quirk left on.
  public static let paper = VAALConfiguration(
    channels: [64, 128, 256, 512, 1024], discriminatorUnlabeledTarget: .faithful)

  /// Training iterations for a pool of `poolSize` slices: `iterations`, else `max(1, epochs·N // batchSize)`.
  public func trainingIterations(poolSize: Int) -> Int {
    iterations ?? max(1, epochs * poolSize / batchSize)
  }

  /// Throws `invalidArgument` naming the first setting out of range, or when `side` does not fit.
  public func validate(side: Int) throws(SelectionError) {
    func fail(_ message: String) -> SelectionError {
      SelectionError(code: .invalidArgument, message: "VAAL: \(message)")
    }
    guard !channels.isEmpty, channels.allSatisfy({ $0 > 0 }) else {
      throw fail("channels \(channels) must be non-empty and positive")
    }
    guard latentDimensions > 0, discriminatorWidth > 0 else {
      throw fail(
        "latentDimensions (\(latentDimensions)) and discriminatorWidth (\(discriminatorWidth)) must be positive")
    }
    guard batchSize > 0, inferenceBatchSize > 0 else { throw fail("batch sizes must be positive") }
    guard epochs >= 0, (iterations ?? 0) >= 0, vaeStepsPerIteration >= 0, discriminatorStepsPerIteration >= 0 else {
      throw fail("epochs, iterations and steps per iteration must be ≥ 0")
    }
    let factor = 1 << channels.count
    guard side >= factor, side % factor == 0 else {
      throw SelectionError(
        code: .shapeMismatch,
        message:
          "VAAL with \(channels.count) stride-2 levels needs a slice side divisible by \(factor), got \(side); resample the slices or use fewer channels"
      )
    }
  }
}
