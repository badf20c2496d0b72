// Where a training slice comes from: patient, volume (the code's "phase", e.g. ACDC ED/ES) and slice position.

/// The grouping keys of one slice (method spec §3.4).
public struct SliceKey: Hashable, Codable, Sendable {
  public var patient: Int
  /// The volume within the patient (ACDC: 1 = ED, 0 = ES; 0 when a patient has one volume).
  public var volume: Int
  /// Slice number within the volume.
  public var position: Int

  public init(patient: Int, volume: Int, position: Int) {
    self.patient = patient
    self.volume = volume
    self.position = position
  }
}
