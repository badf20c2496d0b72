// Graph convolution y = Â·(X·W) + b (Kipf & Welling 2017), with a dense N×N adjacency, as
// CoreGCN's `GraphConvolution` (weight stored (in, out)). Products run on OpenBLAS via `Gemm`.

import NeuralNet
import TensorCore

/// One dense graph-convolution layer. Parameters `<name>.weight` (in, out) and `<name>.bias` (out).
///
/// Init as the CoreGCN code: U(±1/√out) for weight and bias (its `stdv` uses `weight.size(1)`).
public struct GraphConvolution: Sendable {
  public let name: String
  public let inputFeatures: Int
  public let outputFeatures: Int

  public init(name: String, inputFeatures: Int, outputFeatures: Int) {
    self.name = name
    self.inputFeatures = inputFeatures
    self.outputFeatures = outputFeatures
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    let bound = 1 / Float(outputFeatures).squareRoot()
    store.register("\(name).weight", Tensor(uniform: [inputFeatures, outputFeatures], in: -bound...bound, using: &rng))
    store.register("\(name).bias", Tensor(uniform: [outputFeatures], in: -bound...bound, using: &rng))
  }

  /// x: (N, in), adjacency: (N, N) → y: (N, out) = adjacency·(x·W) + b. The cache is x.
  public func callAsFunction(_ x: Tensor, adjacency: Tensor, _ store: ParameterStore) -> (Tensor, Tensor) {
    precondition(x.rank == 2 && x.shape[1] == inputFeatures, "\(name) expects (N, \(inputFeatures)), got \(x.shape)")
    precondition(
      adjacency.shape == [x.shape[0], x.shape[0]],
      "\(name) needs an (N, N) adjacency for N = \(x.shape[0]), got \(adjacency.shape)")
    let support = Gemm.matmul(x, store["\(name).weight"])  // (N, out)
    var y = Gemm.matmul(adjacency, support)  // (N, out)
    let b = store["\(name).bias"].data, m = outputFeatures
    y.data.withUnsafeMutableBufferPointer { yp in
      for i in 0..<x.shape[0] { for j in 0..<m { yp[i * m + j] += b[j] } }
    }
    return (y, x)
  }

  /// Accumulates dweight = xᵀ·(Âᵀ·dy) and dbias = Σₙ dy; returns dx = (Âᵀ·dy)·Wᵀ, or nil when
  /// `inputGradient` is false (the first layer's input is data).
  public func backward(
    _ dy: Tensor, _ input: Tensor, adjacency: Tensor, _ store: inout ParameterStore,
    inputGradient: Bool = true
  ) -> Tensor? {
    let n = input.shape[0], m = outputFeatures
    precondition(dy.shape == [n, m], "\(name) dy \(dy.shape) does not match (\(n), \(m))")
    let dSupport = Gemm.matmul(adjacency, dy, transA: true)  // (N, out)
    store.accumulateGradient("\(name).weight", Gemm.matmul(input, dSupport, transA: true))
    var db = Tensor(shape: [m])
    for i in 0..<n { for j in 0..<m { db.data[j] += dy.data[i * m + j] } }
    store.accumulateGradient("\(name).bias", db)
    return inputGradient ? Gemm.matmul(dSupport, store["\(name).weight"], transB: true) : nil
  }

  // MARK: - Constant input

  /// For a layer whose input x is data (constant across epochs): y = (Â·x)·W + b, given the
  /// aggregated input `ax = Â·x`: (N, in), computed once. Same result as `callAsFunction` up to
  /// rounding, without the two N×N×out products per epoch.
  public func forward(aggregated ax: Tensor, _ store: ParameterStore) -> Tensor {
    precondition(ax.rank == 2 && ax.shape[1] == inputFeatures, "\(name) expects (N, \(inputFeatures)), got \(ax.shape)")
    var y = Gemm.matmul(ax, store["\(name).weight"])  // (N, out)
    let b = store["\(name).bias"].data, m = outputFeatures
    y.data.withUnsafeMutableBufferPointer { yp in
      for i in 0..<ax.shape[0] { for j in 0..<m { yp[i * m + j] += b[j] } }
    }
    return y
  }

  /// Accumulates dweight = axᵀ·dy and dbias = Σₙ dy for `forward(aggregated:)`.
  public func backward(_ dy: Tensor, aggregated ax: Tensor, _ store: inout ParameterStore) {
    let n = ax.shape[0], m = outputFeatures
    precondition(dy.shape == [n, m], "\(name) dy \(dy.shape) does not match (\(n), \(m))")
    store.accumulateGradient("\(name).weight", Gemm.matmul(ax, dy, transA: true))
    var db = Tensor(shape: [m])
    for i in 0..<n { for j in 0..<m { db.data[j] += dy.data[i * m + j] } }
    store.accumulateGradient("\(name).bias", db)
  }
}
