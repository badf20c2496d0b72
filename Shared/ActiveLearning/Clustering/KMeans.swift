// Seeded k-means: k-means++ initialisation (Arthur & Vassilvitskii 2007) then Lloyd iterations.
// TypiClust's clustering step (spec §5.8); the assignment step is in KMeans+Assign.swift.

/// The outcome of one k-means fit.
public struct KMeansResult: Sendable, Equatable {
  /// Cluster centers `(k, dims)`.
  public var centroids: FeatureMatrix
  /// The cluster of every row (nearest centroid, lowest index on ties).
  public var assignments: [Int]
  /// Iterations run.
  public var iterations: Int

  /// Members per cluster.
  public var clusterSizes: [Int] {
    var sizes = [Int](repeating: 0, count: centroids.rows)
    for a in assignments { sizes[a] += 1 }
    return sizes
  }
}

/// Lloyd's k-means with k-means++ seeding.
public enum KMeans {
  /// Clusters the rows of `features` into `k` groups; deterministic for a given RNG state.
  public static func fit(
    _ features: FeatureMatrix, k: Int, maxIterations: Int = 300,
    using rng: inout some RandomNumberGenerator
  ) -> KMeansResult {
    precondition(k >= 1 && k <= features.rows, "KMeans needs 1 ≤ k ≤ \(features.rows) rows, got k = \(k)")
    var centroids = plusPlusInit(features, k: k, using: &rng)
    var assignments = [Int](repeating: -1, count: features.rows)
    var iterations = 0
    while iterations < maxIterations {
      iterations += 1
      let next = assign(features, centroids: centroids, k: k)
      if next == assignments { break }
      assignments = next
      centroids = means(features, assignments: assignments, previous: centroids, k: k)
    }
    return KMeansResult(
      centroids: FeatureMatrix(rows: k, columns: features.columns, values: centroids),
      assignments: assignments, iterations: iterations)
  }

  // MARK: - Steps

  /// k-means++: first center uniform, then each next center drawn with probability ∝ D(x)².
  static func plusPlusInit(_ x: FeatureMatrix, k: Int, using rng: inout some RandomNumberGenerator) -> [Float] {
    let n = x.rows, d = x.columns
    var centroids: [Float] = []
    centroids.reserveCapacity(k * d)
    var nearest = [Float](repeating: .infinity, count: n)
    var chosen = Int(Shuffle.uniform(below: UInt64(n), using: &rng))
    for _ in 0..<k {
      centroids.append(contentsOf: x.row(chosen))
      let metric = EuclideanMetric(features: x)
      for i in 0..<n {
        let dist = metric.distance(i, to: chosen)
        nearest[i] = min(nearest[i], dist * dist)
      }
      let total = nearest.reduce(0.0) { $0 + Double($1) }
      guard total > 0 else {
        chosen = Int(Shuffle.uniform(below: UInt64(n), using: &rng))
        continue
      }
      var u = Double(rng.next() >> 11) * 0x1p-53 * total
      chosen = n - 1
      for i in 0..<n {
        u -= Double(nearest[i])
        if u < 0 && nearest[i] > 0 { chosen = i; break }
      }
    }
    return centroids
  }

  /// Cluster means; an empty cluster keeps its previous centroid.
  static func means(_ x: FeatureMatrix, assignments: [Int], previous: [Float], k: Int) -> [Float] {
    let d = x.columns
    var sums = [Double](repeating: 0, count: k * d)
    var counts = [Int](repeating: 0, count: k)
    for (i, c) in assignments.enumerated() {
      counts[c] += 1
      for j in 0..<d { sums[c * d + j] += Double(x.values[i * d + j]) }
    }
    var out = previous
    for c in 0..<k where counts[c] > 0 {
      for j in 0..<d { out[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
    }
    return out
  }
}
