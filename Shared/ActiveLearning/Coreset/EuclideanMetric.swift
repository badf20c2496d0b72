// Plain weighted Euclidean distance on one feature matrix: raw pixels (vanilla Coreset,
// spec §4.4) or contrastive embeddings.

/// `d(x, c) = weight · ‖F_x − F_c‖₂`, symmetric.
public struct EuclideanMetric: CoresetMetric {
  /// The rows measured.
  public let features: FeatureMatrix
  /// A constant factor (1 for plain Euclidean).
  public let weight: Float

  public init(features: FeatureMatrix, weight: Float = 1) {
    self.features = features
    self.weight = weight
  }

  public var count: Int { features.rows }
  public var costPerDistance: Int { 3 * features.columns }

  /// Columns summed between early-exit checks.
  static let block = 256

  public func prepareCenter(_ index: Int) -> Int { index }

  public func distance(_ candidate: Int, to center: Int) -> Float {
    let n = features.columns
    guard n > 0 else { return 0 }
    return features.values.withUnsafeBufferPointer { v in
      weight * sumSquaredDifference(v.baseAddress! + candidate * n, v.baseAddress! + center * n, n).squareRoot()
    }
  }

  /// Sums each row in blocks of `block` columns and stops once `weight·√sum` reaches the bound
  /// (partial sums only grow, so the caller's minimum is unchanged).
  public func distances(
    to center: Int, candidates: Range<Int>, bounds: UnsafeBufferPointer<Float>,
    into out: UnsafeMutableBufferPointer<Float>
  ) {
    let n = features.columns
    guard n > 0 else { out.update(repeating: 0); return }
    features.values.withUnsafeBufferPointer { v in
      let c = v.baseAddress! + center * n
      for (i, row) in candidates.enumerated() {
        let x = v.baseAddress! + row * n, bound = bounds[i]
        if bound <= 0 {  // met by any distance: read nothing (rows the caller skips have −∞)
          out[i] = 0
          continue
        }
        var sum: Float = 0
        var j = 0
        while j < n {
          let m = min(Self.block, n - j)
          sum += sumSquaredDifference(x + j, c + j, m)
          j += m
          if j < n && weight * sum.squareRoot() >= bound { break }
        }
        out[i] = weight * sum.squareRoot()
      }
    }
  }

  public func referenceDistance(_ candidate: Int, to center: Int) -> Float {
    let x = features.row(candidate), c = features.row(center)
    var sum: Float = 0
    for (a, b) in zip(x, c) { sum += (a - b) * (a - b) }
    return weight * sum.squareRoot()
  }
}
