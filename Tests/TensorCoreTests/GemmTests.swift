// OpenBLAS SGEMM against the naive reference, for every transpose combination.

import Testing
import TensorCore
import TestSupport
import Randomness

struct GemmTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func blasMatchesNaive(transA: Bool, transB: Bool) {
    let (m, n, k) = (7, 5, 9)
    let a = Tensor.random([m * k], seed: 1), b = Tensor.random([k * n], seed: 2)
    var c1 = Tensor.random([m * n], seed: 3), c2 = c1
    a.data.withUnsafeBufferPointer { ap in
      b.data.withUnsafeBufferPointer { bp in
        c1.data.withUnsafeMutableBufferPointer { cp in
          Gemm.blas(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5, a: ap.baseAddress!,
            b: bp.baseAddress!, beta: 0.5, c: cp.baseAddress!)
        }
        c2.data.withUnsafeMutableBufferPointer { cp in
          Gemm.naive(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5, a: ap.baseAddress!,
            b: bp.baseAddress!, beta: 0.5, c: cp.baseAddress!)
        }
      }
    }
    #expect(Approx.worstRatio(c1.data, c2.data, rtol: 1e-5, atol: 1e-5) <= 1)
  }

  @Test func matmulKnownValues() {
    // a: (2, 3), b: (3, 2)
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], data: [7, 8, 9, 10, 11, 12])
    let c = Gemm.matmul(a, b)
    #expect(c.shape == [2, 2])
    #expect(Approx.equal(c.data, [58, 64, 139, 154]))
  }

  @Test func splitMixIsSeededAndMatchesReference() {
    var a = SplitMix64(seed: 0), b = SplitMix64(seed: 0), c = SplitMix64(seed: 1)
    let first = a.next()
    #expect(first == 0xE220_A839_7B1D_CDAF)  // published first output for seed 0
    #expect(b.next() == first)
    #expect(c.next() != first)
  }

  @Test func threadCountCanBeSet() {
    ComputeThreads.set(1)
    let a = Tensor.random([64, 64], seed: 4)
    let one = Gemm.matmul(a, a)
    ComputeThreads.set(ComputeThreads.available)
    let all = Gemm.matmul(a, a)
    #expect(Approx.equal(one.data, all.data, rtol: 1e-5, atol: 1e-5))
  }
}
