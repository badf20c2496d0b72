// Scanner profiles of the phantom cohort: each patient is imaged on one, which sets its resolution, contrast,
// bias field, noise and slice spacing, as the vendors and field strengths of a multi-site cine-MRI cohort do.

/// One scanner's acquisition and appearance settings.
public struct PhantomScanner: Sendable, Equatable {
  /// Short name, e.g. `S1`.
  public var name: String
  /// In-plane pixel spacing relative to the reference (`PhantomScanner.referenceFieldOfView` / size); a larger
  /// spacing shows the same heart smaller in pixels.
  public var spacingFactor: Double
  /// Acquired in-plane resolution in mm: sets the partial-volume blur.
  var acquisitionResolution: Double
  /// Distance between slice centres in mm.
  public var sliceSpacing: Double
  /// Range of the display gamma (contrast curve).
  var gamma: ClosedRange<Double>
  /// Multipliers of blood, myocardium and other-tissue intensities.
  var bloodGain, myoGain, tissueGain: Double
  /// Largest coefficient of the smooth bias field (coil sensitivity; strongest at 3 T).
  var biasStrength: Double
  /// Noise relative to the cohort's `noiseLevel`.
  var noiseFactor: Double

  /// Field of view in mm of the reference spacing, cropped around the heart as 2D cardiac pipelines do.
  public static let referenceFieldOfView = 240.0

  /// The four scanners of the cohort. ACDC's images come from a 1.5 T and a 3 T Siemens scanner with in-plane
  /// spacing 1.37–1.68 mm and slice spacing 5–10 mm; the profiles span that spread (±20 % in apparent scale).
  public static let profiles: [PhantomScanner] = [
    PhantomScanner(
      name: "S1", spacingFactor: 0.84, acquisitionResolution: 1.4, sliceSpacing: 10, gamma: 0.85...1.0,
      bloodGain: 1.0, myoGain: 0.9, tissueGain: 1.0, biasStrength: 0.1, noiseFactor: 0.8),
    PhantomScanner(
      name: "S2", spacingFactor: 0.96, acquisitionResolution: 1.8, sliceSpacing: 10, gamma: 1.0...1.2,
      bloodGain: 0.95, myoGain: 1.1, tissueGain: 1.1, biasStrength: 0.22, noiseFactor: 1.0),
    PhantomScanner(
      name: "S3", spacingFactor: 1.08, acquisitionResolution: 2.2, sliceSpacing: 8, gamma: 1.15...1.35,
      bloodGain: 1.0, myoGain: 1.2, tissueGain: 1.2, biasStrength: 0.35, noiseFactor: 1.15),
    PhantomScanner(
      name: "S4", spacingFactor: 1.2, acquisitionResolution: 2.6, sliceSpacing: 6.5, gamma: 0.75...0.9,
      bloodGain: 0.9, myoGain: 0.8, tissueGain: 0.9, biasStrength: 0.18, noiseFactor: 1.3)
  ]

  /// In-plane pixel spacing in mm for a slice of `size` pixels (the smaller side).
  public func pixelSpacing(size: Int) -> Double { Self.referenceFieldOfView / Double(size) * spacingFactor }

  /// Standard deviation, in pixels, of the Gaussian partial-volume blur at pixel spacing `spacing`.
  func blurSigma(spacing: Double) -> Double { 0.4 + 0.45 * acquisitionResolution / spacing }
}
