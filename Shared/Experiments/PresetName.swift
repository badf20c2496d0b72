// Named presets of training and encoder settings (architecture §7); the settings
// themselves live in preset YAML files owned by the services.

/// A named preset: `paper` (GPU-days), `cpu` (minutes on 2 cores, the default) or `smoke` (tests).
public enum PresetName: String, Codable, Sendable, CaseIterable {
  case paper
  case cpu
  case smoke

  /// Ensemble size used when the definition does not set one (paper: 5 per method-spec §1.6).
  public var defaultEnsembleSize: Int {
    switch self {
    case .paper: 5
    case .cpu: 3
    case .smoke: 1
    }
  }
}
