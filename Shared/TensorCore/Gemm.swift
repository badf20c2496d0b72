// Single-precision matrix product C = alpha·op(A)·op(B) + beta·C on row-major matrices.
// `Gemm.blas` calls OpenBLAS cblas_sgemm; `Gemm.naive` is the reference it is tested against.

import COpenBLAS

/// Row-major SGEMM: `C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C`.
public enum Gemm {
  /// OpenBLAS `cblas_sgemm`. `a` is m×k (k×m if `transA`), `b` is k×n (n×k if `transB`), `c` is m×n.
  public static func blas(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    beta: Float = 0, c: UnsafeMutablePointer<Float>
  ) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(transA ? m : k), b, Int32(transB ? k : n),
      beta, c, Int32(n))
  }

  /// Triple-loop reference with the same contract as `blas`, accumulating in Double.
  public static func naive(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    beta: Float = 0, c: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var acc = 0.0
        for p in 0..<k {
          let av = transA ? a[p * m + i] : a[i * k + p]
          let bv = transB ? b[j * k + p] : b[p * n + j]
          acc += Double(av) * Double(bv)
        }
        let prior = beta == 0 ? 0 : beta * c[i * n + j]
        c[i * n + j] = alpha * Float(acc) + prior
      }
    }
  }

  /// Tensor convenience: `op(a) · op(b)` for 2-D tensors, on OpenBLAS.
  public static func matmul(_ a: Tensor, _ b: Tensor, transA: Bool = false, transB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs 2-D tensors, got \(a.shape) and \(b.shape)")
    let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
    let kb = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
    precondition(
      k == kb, "matmul inner extents differ: \(a.shape)\(transA ? "ᵀ" : "") · \(b.shape)\(transB ? "ᵀ" : "")")
    var out = Tensor(shape: [m, n])
    a.data.withUnsafeBufferPointer { ap in
      b.data.withUnsafeBufferPointer { bp in
        out.data.withUnsafeMutableBufferPointer { cp in
          blas(
            transA: transA, transB: transB, m: m, n: n, k: k,
            a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!)
        }
      }
    }
    return out
  }
}
