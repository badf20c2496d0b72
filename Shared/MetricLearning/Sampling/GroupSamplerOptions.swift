// Group composition and batch size of the group batch sampler (method spec §3.5).

/// Which partners a group holds and how many slices go in a batch (method spec §3.5).
public struct GroupSamplerOptions: Codable, Sendable, Hashable {
  /// Add an adjacent slice of the same volume (`use_slice_pos`).
  public var useNeighbour: Bool
  /// Add a random slice of the same volume (`use_phase`).
  public var useVolume: Bool
  /// Add a random slice of the same patient (`use_patient`).
  public var usePatient: Bool
  /// Slices per view in a batch; a multiple of the group size and larger than it.
  public var batchSize: Int

  public init(useNeighbour: Bool = false, useVolume: Bool = true, usePatient: Bool = true, batchSize: Int = 9) {
    self.useNeighbour = useNeighbour
    self.useVolume = useVolume
    self.usePatient = usePatient
    self.batchSize = batchSize
  }

  /// ACDC "ours": volume + patient partners, G = 3, batch 9.
  public static let acdc = GroupSamplerOptions()

  /// Role order inside every group: anchor, then the enabled partners.
  public var roles: [GroupRole] {
    [.anchor] + (useNeighbour ? [.neighbour] : []) + (useVolume ? [.volume] : []) + (usePatient ? [.patient] : [])
  }
}
