// Per-volume, per-class evaluation of method spec §2.6 (WSL4MIS val_2D): 3D Dice and HD95 for every foreground
// class with the (0, 0) rule; EvaluationSummary averages them.

/// Multi-class volume metrics.
public enum SegmentationMetrics {
  /// Metrics of classes 1..<classes for a predicted label volume against the ground truth, both (D, H, W).
  /// A class gets (0, 0) unless the prediction contains it and the ground truth has both it and something else.
  /// `spacing` is (z, y, x) in mm, used only for `hd95Millimetres`.
  public static func evaluate(
    prediction: [UInt8], truth: [UInt8], shape: [Int], spacing: [Double],
    classes: Int
  ) -> [ClassMetrics] {
    precondition(
      prediction.count == truth.count && truth.count == shape.reduce(1, *),
      "evaluate: prediction \(prediction.count), truth \(truth.count) and shape \(shape) disagree")
    let unit = [Double](repeating: 1, count: shape.count)
    return (1..<classes).map { c in
      let k = UInt8(c)
      let p = prediction.map { $0 == k }, g = truth.map { $0 == k }
      let gCount = g.reduce(0) { $0 + ($1 ? 1 : 0) }
      guard p.contains(true), gCount > 0, gCount < g.count else { return .zero }
      let voxels = BinaryMetrics.hd95(p, g, shape: shape, spacing: unit)
      let mm = spacing == unit ? voxels : BinaryMetrics.hd95(p, g, shape: shape, spacing: spacing)
      return ClassMetrics(dice: BinaryMetrics.dice(p, g), hd95: voxels, hd95Millimetres: mm)
    }
  }
}
