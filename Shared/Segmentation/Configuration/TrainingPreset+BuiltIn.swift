// The built-in presets as YAML text, identical to Presets/*.yaml (a test checks it), and lookup by name.
// Edit the YAML file and this file together.

extension TrainingPreset {
  /// Names of the built-in presets.
  public static let builtInNames = ["paper", "cpu", "smoke"]

  /// YAML of the `paper` preset. The published settings: 256×256, 60000 × fraction iterations, 5-model ensembles (method spec §2.5).
  public static let paperYAML = """
    # ActiveSeg training preset "paper": the published settings (method spec §2.1-2.5). GPU-days on a CPU.
    name: paper
    image_size: 256
    batch_size: 6
    base_lr: 0.01
    momentum: 0.9
    weight_decay: 0.0001
    poly_power: 0.9
    max_iterations: 60000
    min_iterations: 1
    iteration_cap: null
    validation_interval: 200
    ensemble_size: 5
    channels: [16, 32, 64, 128, 256]
    dropout: [0.05, 0.1, 0.2, 0.3, 0.5]
    threads: 0
    augmentation: true

    """

  /// YAML of the `cpu` preset. The default: 64×64 slices, an 8-16-32-64-128 UNet and Adam; one run takes a minute or two on one core.
  public static let cpuYAML = """
    # ActiveSeg training preset "cpu" (the default): one training run takes a minute or two on one core.
    # 64x64 slices and a UNet of half the paper's width (8-16-32-64-128), Adam at 1e-3 with poly decay: on the phantom
    # cohort it reaches at 1,000 steps what the paper's SGD did not at 400-1,000 (Benchmarks/RecipeCheck/RESULTS.md).
    # Iterations scale with the labeled fraction as in the paper (max_iterations x fraction), never fewer than
    # min_iterations and with no cap, so every round gets enough steps and larger rounds get more.
    name: cpu
    image_size: 64
    batch_size: 6
    base_lr: 0.001
    momentum: 0.9
    weight_decay: 0.0001
    poly_power: 0.9
    max_iterations: 20000
    min_iterations: 1000
    iteration_cap: null
    validation_interval: 200
    ensemble_size: 3
    channels: [8, 16, 32, 64, 128]
    dropout: [0.05, 0.1, 0.2, 0.3, 0.5]
    threads: 1
    augmentation: true
    optimizer: adam

    """

  /// YAML of the `smoke` preset. Tiny (32×32, 2-4-8 channels, 20–40 iterations) for tests.
  public static let smokeYAML = """
    # ActiveSeg training preset "smoke": tiny and fast, for tests and a first look at the pipeline.
    name: smoke
    image_size: 32
    batch_size: 6
    base_lr: 0.01
    momentum: 0.9
    weight_decay: 0.0001
    poly_power: 0.9
    max_iterations: 400
    min_iterations: 20
    iteration_cap: 40
    validation_interval: 10
    ensemble_size: 2
    channels: [2, 4, 8]
    dropout: [0.05, 0.1, 0.2]
    threads: 1
    augmentation: true

    """

  /// The built-in preset called `name` (`paper`, `cpu` or `smoke`).
  public static func builtIn(named name: String) throws -> TrainingPreset {
    switch name {
    case "paper": return try TrainingPreset(yaml: paperYAML)
    case "cpu": return try TrainingPreset(yaml: cpuYAML)
    case "smoke": return try TrainingPreset(yaml: smokeYAML)
    default:
      throw SegmentationError(
        .invalidPreset,
        "unknown preset '\(name)'; built-in presets are \(builtInNames.joined(separator: ", ")), or pass your own YAML")
    }
  }

  /// The paper's settings.
  public static var paper: TrainingPreset { try! builtIn(named: "paper") }
  /// The default CPU settings.
  public static var cpu: TrainingPreset { try! builtIn(named: "cpu") }
  /// The test settings.
  public static var smoke: TrainingPreset { try! builtIn(named: "smoke") }
}
