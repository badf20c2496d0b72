// CoreGCN's graph (spec §5.10, `aff_to_adj`): L2-normalised features, A = X·Xᵀ − I, every column
// divided by its sum (+1e-10), then + I. Dense N×N on OpenBLAS; fine for pools of a few thousand.

import TensorCore

/// Building the dense, column-normalised affinity graph.
public enum GCNAdjacency {
  /// The `+1e-10` in the column normalisation.
  public static let epsilon: Double = 1e-10

  /// Rows scaled to unit L2 norm (`F.normalize`: x / max(‖x‖, 1e-12)). x: (N, F).
  public static func l2Normalized(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "l2Normalized expects (N, F), got \(x.shape)")
    let (n, f) = (x.shape[0], x.shape[1])
    var y = x
    for i in 0..<n {
      var s = 0.0
      for j in 0..<f { s += Double(x.data[i * f + j]) * Double(x.data[i * f + j]) }
      let scale = Float(1 / max(s.squareRoot(), 1e-12))
      for j in 0..<f { y.data[i * f + j] *= scale }
    }
    return y
  }

  /// Â = (X·Xᵀ − I)·diag(1 / (colsum + 1e-10)) + I for already normalised features x: (N, F) → (N, N).
  public static func normalized(_ x: Tensor) -> Tensor {
    let n = x.shape[0]
    var a = Gemm.matmul(x, x, transB: true)  // (N, N)
    for i in 0..<n { a.data[i * n + i] -= 1 }
    var columnSums = [Double](repeating: 0, count: n)
    for i in 0..<n { for j in 0..<n { columnSums[j] += Double(a.data[i * n + j]) } }
    let scale = columnSums.map { Float(1 / ($0 + epsilon)) }
    for i in 0..<n { for j in 0..<n { a.data[i * n + j] *= scale[j] } }
    for i in 0..<n { a.data[i * n + i] += 1 }
    return a
  }
}
