// Fully connected layer (PyTorch `nn.Linear`, with or without bias), forward and backward on OpenBLAS.

import TensorCore

/// Linear layer y = x·Wᵀ (+ b). Parameters `<name>.weight` (out, in) and, when `bias`, `<name>.bias` (out).
///
/// Init follows PyTorch `nn.Linear.reset_parameters`: U(±1/√in) for weight and bias.
public struct Linear: Sendable {
  public let name: String
  public let inputFeatures: Int
  public let outputFeatures: Int
  /// False for `nn.Linear(..., bias=False)` (the SimCLR projection head): no `<name>.bias` parameter.
  public let bias: Bool

  public init(name: String, inputFeatures: Int, outputFeatures: Int, bias: Bool = true) {
    self.name = name
    self.inputFeatures = inputFeatures
    self.outputFeatures = outputFeatures
    self.bias = bias
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    let bound = 1 / Float(inputFeatures).squareRoot()
    store.register("\(name).weight", Tensor(uniform: [outputFeatures, inputFeatures], in: -bound...bound, using: &rng))
    if bias { store.register("\(name).bias", Tensor(uniform: [outputFeatures], in: -bound...bound, using: &rng)) }
  }

  /// x: (N, in) → y: (N, out). Cache is x.
  public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Tensor) {
    precondition(x.rank == 2 && x.shape[1] == inputFeatures, "\(name) expects (N, \(inputFeatures)), got \(x.shape)")
    return (Dense.forward(x, weight: store["\(name).weight"], bias: bias ? store["\(name).bias"] : nil), x)
  }

  /// Returns dx: (N, in) and accumulates dweight (and dbias).
  public func backward(_ dy: Tensor, _ input: Tensor, _ store: inout ParameterStore) -> Tensor {
    let (dx, dw, db) = Dense.backward(dy, input: input, weight: store["\(name).weight"])
    store.accumulateGradient("\(name).weight", dw)
    if bias { store.accumulateGradient("\(name).bias", db) }
    return dx
  }
}
