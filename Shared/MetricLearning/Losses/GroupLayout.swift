// Where the groups sit in a contrastive batch (method spec §3.5): B anchors' rows for view i, then the same B
// rows for view j; groups of G consecutive rows with a fixed role order.

/// The role of a slice inside its group: `[anchor, (neighbour), (volume), (patient)]` in that order.
public enum GroupRole: String, Codable, Sendable, CaseIterable {
  case anchor, neighbour, volume, patient
}

/// The group structure of one batch of `batchSize` slices (2·batchSize projection rows).
public struct GroupLayout: Sendable, Hashable {
  /// Slices per view (B); a multiple of `roles.count`.
  public var batchSize: Int
  /// Role of each position inside a group; `roles.count` is the group size G.
  public var roles: [GroupRole]

  public init(batchSize: Int, roles: [GroupRole]) {
    precondition(
      !roles.isEmpty && batchSize % roles.count == 0,
      "batch of \(batchSize) slices does not split into groups of \(roles.count)")
    self.batchSize = batchSize
    self.roles = roles
  }

  public var groupSize: Int { roles.count }
  /// Number of projection rows, 2B.
  public var rows: Int { 2 * batchSize }
  /// Group index of projection row r.
  public func group(ofRow r: Int) -> Int { (r % batchSize) / roles.count }
  /// Role of projection row r.
  public func role(ofRow r: Int) -> GroupRole { roles[(r % batchSize) % roles.count] }
  /// The other view of the same slice.
  public func partner(ofRow r: Int) -> Int { (r + batchSize) % rows }
}
