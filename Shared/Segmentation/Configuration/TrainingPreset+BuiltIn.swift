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

    /// YAML of the `cpu` preset. The default: 64×64 slices and an 8-16-32-64-128 UNet; one run takes minutes on 2 cores.
    public static let cpuYAML = """
        # ActiveSeg training preset "cpu" (the default): one training run finishes in a few minutes on 2 cores.
        # 64x64 slices and a UNet of half the paper's width (8-16-32-64-128); iterations scale with the labeled fraction
        # as in the paper (max_iterations x fraction), but at least min_iterations (small rounds still converge) and at
        # most iteration_cap (large rounds stay within minutes).
        name: cpu
        image_size: 64
        batch_size: 6
        base_lr: 0.01
        momentum: 0.9
        weight_decay: 0.0001
        poly_power: 0.9
        max_iterations: 20000
        min_iterations: 400
        iteration_cap: 1000
        validation_interval: 200
        ensemble_size: 3
        channels: [8, 16, 32, 64, 128]
        dropout: [0.05, 0.1, 0.2, 0.3, 0.5]
        threads: 1
        augmentation: true
        
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
            throw SegmentationError(.invalidPreset, "unknown preset '\(name)'; built-in presets are \(builtInNames.joined(separator: ", ")), or pass your own YAML")
        }
    }

    /// The paper's settings.
    public static var paper: TrainingPreset { try! builtIn(named: "paper") }
    /// The default CPU settings.
    public static var cpu: TrainingPreset { try! builtIn(named: "cpu") }
    /// The test settings.
    public static var smoke: TrainingPreset { try! builtIn(named: "smoke") }
}
