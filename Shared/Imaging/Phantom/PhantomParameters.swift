// Parameters of the phantom cohort: the built-in, seeded cardiac-MRI-like default dataset.

/// Settings of the phantom cohort generator; equal parameters give bit-identical cohorts.
public struct PhantomParameters: Sendable, Codable, Equatable, Hashable {
  /// Number of patients; each has an ED and an ES volume.
  public var patients: Int
  /// Smallest number of slices per volume (inclusive).
  public var minSlices: Int
  /// Largest number of slices per volume (inclusive).
  public var maxSlices: Int
  /// Slice height in pixels (128 by default; 256 supported).
  public var height: Int
  /// Slice width in pixels.
  public var width: Int
  /// Seed of the whole cohort.
  public var seed: UInt64
  /// Standard deviation of the Rician noise relative to the blood-pool intensity (default 0.08).
  public var noiseLevel: Double

  /// Creates phantom settings; the defaults give 10 patients of 6–18 slices (mostly 8–12, as ACDC) at 128×128.
  /// Settings from user input should be checked with `problems` before use.
  public init(
    patients: Int = 10, minSlices: Int = 6, maxSlices: Int = 18, height: Int = 128, width: Int = 128,
    seed: UInt64 = 0, noiseLevel: Double = 0.08
  ) {
    self.patients = patients
    self.minSlices = minSlices
    self.maxSlices = maxSlices
    self.height = height
    self.width = width
    self.seed = seed
    self.noiseLevel = noiseLevel
  }

  /// What is wrong with these settings (empty when they are usable).
  public var problems: [String] {
    var out = [String]()
    if patients < 1 { out.append("patients must be at least 1 (got \(patients))") }
    if minSlices < 2 || maxSlices < minSlices {
      out.append("slice range \(minSlices)...\(maxSlices) must satisfy 2 ≤ min ≤ max")
    }
    if height < 32 || width < 32 || height > 1024 || width > 1024 {
      out.append("slice size \(height)×\(width) must be within 32...1024")
    }
    if !(noiseLevel >= 0 && noiseLevel <= 1) { out.append("noiseLevel \(noiseLevel) must be within 0...1") }
    return out
  }
}

/// Cardiac phase of a phantom volume.
public enum CardiacPhase: String, Sendable, Codable, CaseIterable {
  /// End-diastole: the ventricles are largest.
  case ed = "ED"
  /// End-systole: the ventricles are smallest and the myocardium thickest.
  case es = "ES"
}

/// Label values shared by the phantom and ACDC.
public enum CardiacLabel {
  public static let background: UInt8 = 0
  public static let rightVentricle: UInt8 = 1
  public static let myocardium: UInt8 = 2
  public static let leftVentricle: UInt8 = 3
  /// Scribble value of pixels that carry no annotation.
  public static let ignore: UInt8 = 4
  /// Number of classes (background included).
  public static let classCount = 4
  /// Class names in label order.
  public static let names = ["background", "right ventricle", "myocardium", "left ventricle"]
}
