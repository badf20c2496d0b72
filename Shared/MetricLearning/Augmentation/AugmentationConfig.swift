// The contrastive view transform's parameters (method spec §3.3, torchvision semantics); `.paper` is the code's.

/// Parameters of `ContrastiveAugmentation`. A probability of 0 switches a step off; all zero is the identity.
public struct AugmentationConfig: Codable, Sendable, Hashable {
  /// RandomResizedCrop back to the input size.
  public var cropProbability: Double = 1
  public var cropScale: ClosedRange<Double> = 0.8...1.0
  public var cropRatio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0)
  /// RandomHorizontalFlip.
  public var flipProbability: Double = 0.5
  /// RandomAffine (nearest, fill 0): rotation ±degrees, translation as a fraction of the size, scale, x-shear ±degrees.
  public var affineProbability: Double = 1
  public var rotationDegrees: Double = 15
  public var translateFraction: Double = 0.2
  public var affineScale: ClosedRange<Double> = 0.8...1.2
  public var shearDegrees: Double = 10
  /// GaussianBlur with a 5×5 kernel and σ ~ U(sigma).
  public var blurProbability: Double = 1
  public var blurKernel: Int = 5
  public var blurSigma: ClosedRange<Double> = 0.1...2.0
  /// RandomErasing with value 0.
  public var erasingProbability: Double = 0.2
  public var erasingScale: ClosedRange<Double> = 0.02...0.33
  public var erasingRatio: ClosedRange<Double> = 0.3...3.3

  public init() {}

  /// The code's transform: crop (0.8–1), flip 0.5, affine (15°, 0.2, 0.8–1.2, shear 10°), blur 5×5 σ∈(0.1, 2),
  /// erasing p 0.2.
  public static let paper = AugmentationConfig()

  /// Every step off: views equal the input.
  public static var identity: AugmentationConfig {
    var c = AugmentationConfig()
    c.cropProbability = 0
    c.flipProbability = 0
    c.affineProbability = 0
    c.blurProbability = 0
    c.erasingProbability = 0
    return c
  }
}
