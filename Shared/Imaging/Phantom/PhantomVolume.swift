// One generated phantom volume: raw image, full mask and derived scribbles, plus its identity.

/// A phantom short-axis volume (depth × height × width, row-major z, y, x; slice 0 is the base).
public struct PhantomVolume: Sendable {
  /// Zero-based patient index in the cohort.
  public var patientIndex: Int
  /// Patient id, e.g. `phantom007`.
  public var patientID: String
  /// ED or ES.
  public var phase: CardiacPhase
  /// The patient's pathology group (ACDC's `Group`).
  public var group: PhantomGroup
  /// Name of the scanner profile the patient was imaged on.
  public var scanner: String
  public var depth: Int
  public var height: Int
  public var width: Int
  /// Raw, unnormalised intensities (MRI-like magnitudes in the hundreds).
  public var image: [Float]
  /// Full mask, values 0...3.
  public var label: [UInt8]
  /// Scribbles derived from `label`; unannotated pixels are 4.
  public var scribble: [UInt8]
  /// Voxel spacing (x, y, z) in mm, set by the patient's scanner (pixels are square).
  public var spacing: (Double, Double, Double)

  /// One slice of `image`.
  public func imageSlice(_ z: Int) -> ArraySlice<Float> { image[(z * height * width)..<((z + 1) * height * width)] }
  /// One slice of `label`.
  public func labelSlice(_ z: Int) -> ArraySlice<UInt8> { label[(z * height * width)..<((z + 1) * height * width)] }
}
