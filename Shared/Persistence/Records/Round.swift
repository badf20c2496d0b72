// One active-learning round of one strategy and seed in an experiment.

import Foundation

/// A stored round; `state` and `step` let a gateway resume an interrupted round.
public struct Round: Sendable, Equatable {
  public var id: Int64
  public var experimentId: Int64
  /// 0-based round index.
  public var index: Int
  public var strategy: String
  public var seed: UInt64
  /// Free-form state (for example `pending`, `running`, `done`, `failed`).
  public var state: String
  /// The step of the round sequence reached (for example `embed`, `select`, `train`).
  public var step: String
  /// Metrics and other results, as JSON object text.
  public var payloadJSON: String
  public var createdAt: Date
  public var updatedAt: Date
}
