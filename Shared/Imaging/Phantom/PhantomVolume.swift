// One generated phantom volume: raw image, full mask and derived scribbles, plus its identity.

/// A phantom short-axis volume (depth × height × width, row-major z, y, x; slice 0 is the base).
public struct PhantomVolume: Sendable {
  /// Zero-based patient index in the cohort.
  public var patientIndex: Int
  /// Patient id, e.g. `phantom007`.
  public var patientID: String
  /// ED or ES.
  public var phase: CardiacPhase
  public var depth: Int
  public var height: Int
  public var width: Int
  /// Raw, unnormalised intensities (MRI-like magnitudes in the hundreds).
  public var image: [Float]
  /// Full mask, values 0...3.
  public var label: [UInt8]
  /// Scribbles derived from `label`; unannotated pixels are 4.
  public var scribble: [UInt8]
  /// Voxel spacing (x, y, z) in mm.
  public var spacing: (Double, Double, Double) { (1.5625 * 128 / Double(width), 1.5625 * 128 / Double(height), 10) }

  /// One slice of `image`.
  public func imageSlice(_ z: Int) -> ArraySlice<Float> { image[(z * height * width)..<((z + 1) * height * width)] }
  /// One slice of `label`.
  public func labelSlice(_ z: Int) -> ArraySlice<UInt8> { label[(z * height * width)..<((z + 1) * height * width)] }
}
