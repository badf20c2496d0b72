// The k-means assignment step: nearest centroid per row. The fast path forms
// ‖x‖² − 2·x·c + ‖c‖² with one OpenBLAS sgemm per block of rows; the naive path is the reference.

import COpenBLAS

extension KMeans {
  /// Rows per sgemm block: a `(block, k)` Float scratch stays small (k ≤ 500 → ≤ 2 MB).
  static let assignBlock = 1024

  /// Nearest centroid (squared Euclidean, first minimum) of each row of `x`, via sgemm.
  static func assign(_ x: FeatureMatrix, centroids: [Float], k: Int) -> [Int] {
    let n = x.rows, d = x.columns
    guard n > 0, d > 0 else { return Array(repeating: 0, count: n) }
    var centroidNorms = [Float](repeating: 0, count: k)
    for c in 0..<k {
      var s: Float = 0
      for j in 0..<d { s += centroids[c * d + j] * centroids[c * d + j] }
      centroidNorms[c] = s
    }
    var out = [Int](repeating: 0, count: n)
    var products = [Float](repeating: 0, count: assignBlock * k)  // (block, k)
    x.values.withUnsafeBufferPointer { xv in
      centroids.withUnsafeBufferPointer { cv in
        for start in stride(from: 0, to: n, by: assignBlock) {
          let rows = min(assignBlock, n - start)
          // products = X[start..<start+rows] · Cᵀ  // (rows, d) × (d, k)
          cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(k), Int32(d),
            1, xv.baseAddress! + start * d, Int32(d), cv.baseAddress!, Int32(d),
            0, &products, Int32(k))
          for r in 0..<rows {
            var best = 0, bestD = Float.infinity
            for c in 0..<k {
              let dist = centroidNorms[c] - 2 * products[r * k + c]  // ‖x‖² is common to the row
              if dist < bestD { bestD = dist; best = c }
            }
            out[start + r] = best
          }
        }
      }
    }
    return out
  }

  /// Reference assignment: direct squared differences, first minimum.
  static func assignNaive(_ x: FeatureMatrix, centroids: [Float], k: Int) -> [Int] {
    let d = x.columns
    return (0..<x.rows).map { i in
      var best = 0, bestD = Float.infinity
      for c in 0..<k {
        var dist: Float = 0
        for j in 0..<d { let t = x.values[i * d + j] - centroids[c * d + j]; dist += t * t }
        if dist < bestD { bestD = dist; best = c }
      }
      return best
    }
  }
}
