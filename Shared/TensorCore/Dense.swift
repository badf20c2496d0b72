// Fully connected layer kernels y = x·Wᵀ + b on OpenBLAS, with a naive reference.
// Reference: PyTorch `nn.Linear` (weight shape (out, in)).

/// Linear (dense) kernels. x: (N, in), W: (out, in), b: (out), y: (N, out).
public enum Dense {
  /// y = x·Wᵀ + b. `naive: true` uses the triple-loop reference GEMM.
  public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, naive: Bool = false) -> Tensor {
    let (n, k) = (x.shape[0], x.shape[1]), m = weight.shape[0]
    precondition(
      x.rank == 2 && weight.shape == [m, k], "linear expects x (N, \(weight.shape.last ?? 0)), got \(x.shape)")
    var y = Tensor(shape: [n, m])
    gemm(naive, transA: false, transB: true, m: n, n: m, k: k, x.data, weight.data, &y.data)
    if let bias {
      for i in 0..<n { for j in 0..<m { y.data[i * m + j] += bias.data[j] } }
    }
    return y
  }

  /// dx = dy·W, dW = dyᵀ·x, db = Σₙ dy.
  public static func backward(_ dy: Tensor, input x: Tensor, weight: Tensor, naive: Bool = false)
    -> (dx: Tensor, dweight: Tensor, dbias: Tensor)
  {
    let (n, k) = (x.shape[0], x.shape[1]), m = weight.shape[0]
    precondition(dy.shape == [n, m], "linear dy \(dy.shape) does not match (\(n), \(m))")
    var dx = Tensor(shape: [n, k]), dw = Tensor(shape: [m, k]), db = Tensor(shape: [m])
    gemm(naive, transA: false, transB: false, m: n, n: k, k: m, dy.data, weight.data, &dx.data)
    gemm(naive, transA: true, transB: false, m: m, n: k, k: n, dy.data, x.data, &dw.data)
    for i in 0..<n { for j in 0..<m { db.data[j] += dy.data[i * m + j] } }
    return (dx, dw, db)
  }

  private static func gemm(
    _ naive: Bool, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    _ a: [Float], _ b: [Float], _ c: inout [Float]
  ) {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          if naive {
            Gemm.naive(
              transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, b: bp.baseAddress!,
              c: cp.baseAddress!)
          } else {
            Gemm.blas(
              transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, b: bp.baseAddress!,
              c: cp.baseAddress!)
          }
        }
      }
    }
  }
}
