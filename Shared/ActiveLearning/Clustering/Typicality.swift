// TypiClust typicality (spec §5.8, Hacohen et al. 2022): the inverse mean Euclidean distance to
// a point's k nearest neighbours within a set, self excluded.

/// Typicality scores within a set of points.
public enum Typicality {
  /// The `+1e-5` in `1 / (mean kNN distance + 1e-5)`.
  public static let epsilon = 1e-5

  /// The neighbour count TypiClust uses for a set of `size` points and `kNN` (20):
  /// `max(min(kNN, size / 2), 1)`, capped at `size − 1` so self is never counted.
  public static func neighbourCount(size: Int, kNN: Int) -> Int {
    min(max(min(kNN, size / 2), 1), max(size - 1, 0))
  }

  /// `1 / (mean distance to the k nearest other points + 1e-5)` for each of `rows` of `features`,
  /// with `k = neighbourCount(size: rows.count, kNN:)`. A single point scores `1 / 1e-5`.
  public static func scores(_ features: FeatureMatrix, rows: [Int], kNN: Int) -> [Double] {
    let m = rows.count
    let k = neighbourCount(size: m, kNN: kNN)
    guard k > 0 else { return Array(repeating: 1 / epsilon, count: m) }
    let metric = EuclideanMetric(features: features)
    var result = [Double](repeating: 0, count: m)
    var distances = [Float](repeating: 0, count: m)
    for (a, row) in rows.enumerated() {
      for (b, other) in rows.enumerated() {
        distances[b] = a == b ? .infinity : metric.distance(row, to: other)
      }
      let nearest = smallest(k, of: distances)
      let mean = nearest.reduce(0.0) { $0 + Double($1) } / Double(k)
      result[a] = 1 / (mean + epsilon)
    }
    return result
  }

  /// The `k` smallest values, by partial selection.
  static func smallest(_ k: Int, of values: [Float]) -> [Float] {
    if k * 8 >= values.count { return Array(values.sorted().prefix(k)) }
    var best: [Float] = []
    best.reserveCapacity(k + 1)
    for v in values where best.count < k || v < best[best.count - 1] {
      let at = best.firstIndex { $0 > v } ?? best.count
      best.insert(v, at: at)
      if best.count > k { best.removeLast() }
    }
    return best
  }
}
