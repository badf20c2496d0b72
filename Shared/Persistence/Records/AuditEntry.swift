// One row of the audit log: who changed what, when.

import Foundation

/// An audit record written by every mutation of the store.
public struct AuditEntry: Sendable, Equatable {
  public var id: Int64
  public var time: Date
  public var actor: String
  /// What was done, for example `import`, `annotate`, `reveal`, `round.update`.
  public var action: String
  /// The entity touched, for example `dataset:3`, `slice:42`.
  public var entity: String
  public var detail: String
}
