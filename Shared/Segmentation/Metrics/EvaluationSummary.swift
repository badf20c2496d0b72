// Metrics over a set of volumes: the mean over volumes per class, then over classes (upstream "performance").

/// Metrics over a set of volumes: per volume and class, their means, and the headline numbers.
public struct EvaluationSummary: Codable, Sendable, Hashable {
  /// volumes[v][c − 1] for foreground class c.
  public var volumes: [[ClassMetrics]]
  /// Mean over volumes, per foreground class.
  public var perClass: [ClassMetrics]
  /// Mean Dice over classes (upstream "performance").
  public var meanDice: Double
  /// Mean HD95 in voxels over classes (upstream "mean_hd95").
  public var meanHD95: Double
  /// Mean HD95 in millimetres over classes.
  public var meanHD95Millimetres: Double

  /// Averages per-volume results (each a list of foreground-class metrics of equal length).
  public init(volumes: [[ClassMetrics]]) {
    precondition(
      !volumes.isEmpty && volumes.allSatisfy { $0.count == volumes[0].count && !$0.isEmpty },
      "EvaluationSummary needs at least one volume and the same classes in each")
    self.volumes = volumes
    let n = Double(volumes.count), classes = volumes[0].count
    perClass = (0..<classes).map { c in
      ClassMetrics(
        dice: volumes.reduce(0) { $0 + $1[c].dice } / n,
        hd95: volumes.reduce(0) { $0 + $1[c].hd95 } / n,
        hd95Millimetres: volumes.reduce(0) { $0 + $1[c].hd95Millimetres } / n)
    }
    meanDice = perClass.reduce(0) { $0 + $1.dice } / Double(classes)
    meanHD95 = perClass.reduce(0) { $0 + $1.hd95 } / Double(classes)
    meanHD95Millimetres = perClass.reduce(0) { $0 + $1.hd95Millimetres } / Double(classes)
  }
}
