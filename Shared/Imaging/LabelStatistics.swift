// Class statistics of label masks: pixel counts and fractions per class, and scribble coverage.

/// Counts and fractions of label values.
public enum LabelStatistics {
  /// Pixel count per class 0..<classCount; values ≥ classCount (e.g. the ignore value) are not counted.
  public static func counts(_ labels: some Sequence<UInt8>, classCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for v in labels where Int(v) < classCount { counts[Int(v)] += 1 }
    return counts
  }

  /// Fraction of all pixels per class 0..<classCount (fractions of ignored pixels are left out, so the
  /// result sums to the annotated share).
  public static func fractions(_ labels: some Collection<UInt8>, classCount: Int) -> [Double] {
    guard !labels.isEmpty else { return [Double](repeating: 0, count: classCount) }
    let total = Double(labels.count)
    return counts(labels, classCount: classCount).map { Double($0) / total }
  }

  /// Fraction of pixels that are annotated (not `ignore`).
  public static func annotatedFraction(_ scribble: some Collection<UInt8>, ignore: UInt8 = CardiacLabel.ignore)
    -> Double
  {
    guard !scribble.isEmpty else { return 0 }
    return Double(scribble.lazy.filter { $0 != ignore }.count) / Double(scribble.count)
  }

  /// Largest label value present, or nil for an empty input.
  public static func maxLabel(_ labels: some Sequence<UInt8>) -> UInt8? { labels.max() }
}
