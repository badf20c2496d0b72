// Dice and HD95 (voxels and mm) of one foreground class in one volume.

/// Dice and HD95 of one foreground class in one volume.
public struct ClassMetrics: Codable, Sendable, Hashable {
  /// 3D Dice.
  public var dice: Double
  /// HD95 in voxels (spacing 1; the paper's unit).
  public var hd95: Double
  /// HD95 in millimetres (the volume's voxel spacing).
  public var hd95Millimetres: Double

  public init(dice: Double, hd95: Double, hd95Millimetres: Double) {
    self.dice = dice
    self.hd95 = hd95
    self.hd95Millimetres = hd95Millimetres
  }

  /// The value used when the prediction is empty or the ground truth lacks the class.
  public static let zero = ClassMetrics(dice: 0, hd95: 0, hd95Millimetres: 0)
}
