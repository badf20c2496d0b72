// What one experiment file describes: a dataset, a supervision kind, the strategies and
// seeds to compare, the schedule, and the presets. Several strategies × seeds = one comparison.

/// A resolved experiment definition (every default filled in).
///
/// YAML keys (defaults in parentheses):
/// - `name` (`<dataset>-<supervision>`): the experiment's name, used in reports.
/// - `dataset` (required): a stored dataset name.
/// - `supervision` (`scribble`): `scribble` or `full`.
/// - `strategies` (required): a list of names, or of `{name, label, parameters}` mappings.
/// - `schedule` (`paper`): a name (`paper`, `code-long`, `ours-code`) or `{cumulative: [...]}` /
///   `{increments: [...]}`, each budget a fraction of the pool (`0.02`) or a percentage (`2%`).
/// - `ensemble_size` (the preset's: paper 5, cpu 3, smoke 1).
/// - `seeds` (`[0]`): non-negative, distinct integers.
/// - `preset` (`cpu`), `encoder_preset` (same as `preset`): `paper`, `cpu` or `smoke`.
/// - `initial` (`strategy`): `strategy` or `random` (a random round 0).
/// - `annotators` (`oracle`): `oracle` (simulation: reveal the stored labels) or `people`.
public struct ExperimentDefinition: Codable, Sendable, Hashable {
  public var name: String
  public var dataset: String
  public var supervision: Supervision
  public var strategies: [StrategySpec]
  public var schedule: Schedule
  public var ensembleSize: Int
  public var seeds: [UInt64]
  public var preset: PresetName
  public var encoderPreset: PresetName
  public var initial: InitialSelection
  public var annotators: Annotators

  public init(
    name: String? = nil, dataset: String, supervision: Supervision = .scribble,
    strategies: [StrategySpec], schedule: Schedule = Schedule.named("paper")!,
    ensembleSize: Int? = nil, seeds: [UInt64] = [0], preset: PresetName = .cpu,
    encoderPreset: PresetName? = nil, initial: InitialSelection = .strategy, annotators: Annotators = .oracle
  ) {
    self.name = name ?? "\(dataset)-\(supervision.rawValue)"
    self.dataset = dataset
    self.supervision = supervision
    self.strategies = strategies
    self.schedule = schedule
    self.ensembleSize = ensembleSize ?? preset.defaultEnsembleSize
    self.seeds = seeds
    self.preset = preset
    self.encoderPreset = encoderPreset ?? preset
    self.initial = initial
    self.annotators = annotators
  }

  /// The runs of this comparison: every strategy × every seed, strategies outermost, in file order.
  public var runs: [RunKey] {
    strategies.flatMap { spec in seeds.map { RunKey(strategy: spec.label, seed: $0) } }
  }

  /// The strategy spec with `label`, if any.
  public func strategy(labeled label: String) -> StrategySpec? {
    strategies.first { $0.label == label }
  }

  /// The round plan of one strategy under this definition's schedule.
  public func roundPlan(for spec: StrategySpec) -> RoundPlan {
    RoundPlan(strategy: spec.name, roundCount: schedule.roundCount, initial: initial)
  }
}
