// One strategy of a comparison: its name, a label that identifies it in results, and
// free-form string parameters passed through to the selector.

/// One strategy entry of an experiment definition.
public struct StrategySpec: Codable, Sendable, Hashable {
  /// Which strategy.
  public var name: StrategyName
  /// The name used in results and reports; defaults to `name`. Unique within a definition.
  public var label: String
  /// Strategy parameters, passed through unchanged (e.g. `pos_wt: "1500"`).
  public var parameters: [String: String]

  public init(name: StrategyName, label: String? = nil, parameters: [String: String] = [:]) {
    self.name = name
    self.label = label ?? name.rawValue
    self.parameters = parameters
  }
}
