// An experiment: a named configuration and its state.

import Foundation

/// A stored experiment.
public struct Experiment: Sendable, Equatable {
  public var id: Int64
  /// Unique name.
  public var name: String
  /// The configuration (preset) as JSON or YAML text, stored verbatim.
  public var config: String
  /// Free-form state string owned by the gateway (for example `running`, `done`).
  public var state: String
  public var createdAt: Date
  public var updatedAt: Date
}
