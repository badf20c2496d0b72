// CoreGCN's network (spec §5.10, al-seg `gcn.py`): gc1 (F→hidden) → ReLU → dropout → gc3
// (hidden→1) → sigmoid. gc2 exists upstream but is never used, so it is left out.

import NeuralNet
import TensorCore

/// Two graph convolutions scoring each node's "labeled-ness". Parameters `gc1.*`, `gc3.*`.
public struct GCNScorer: Sendable {
  public let inputFeatures: Int
  public let hiddenUnits: Int
  public let dropout: Float
  let gc1: GraphConvolution
  let gc3: GraphConvolution

  public init(inputFeatures: Int, hiddenUnits: Int, dropout: Float) {
    self.inputFeatures = inputFeatures
    self.hiddenUnits = hiddenUnits
    self.dropout = dropout
    gc1 = GraphConvolution(name: "gc1", inputFeatures: inputFeatures, outputFeatures: hiddenUnits)
    gc3 = GraphConvolution(name: "gc3", inputFeatures: hiddenUnits, outputFeatures: 1)
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    gc1.register(in: &store, using: &rng)
    gc3.register(in: &store, using: &rng)
  }

  /// Forward results: sigmoid scores and logits (N, 1), the (dropped-out in training) hidden
  /// features (N, hidden), and what backward needs.
  public struct Output: Sendable {
    public var scores: Tensor
    public var logits: Tensor
    public var hidden: Tensor
    var preActivation: Tensor
    var mask: [Float]?
    /// Â·x: (N, F), gc1's aggregated input.
    var aggregated: Tensor
  }

  /// gc1's input aggregated once, `Â·x`: (N, F); the features are data, so every epoch reuses it.
  public static func aggregate(_ x: Tensor, adjacency: Tensor) -> Tensor { Gemm.matmul(adjacency, x) }

  /// x: (N, F), adjacency: (N, N). Dropout (seeded by `rng`) only when `training`.
  public func callAsFunction(
    _ x: Tensor, adjacency: Tensor, _ store: ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> Output {
    callAsFunction(
      aggregated: Self.aggregate(x, adjacency: adjacency), adjacency: adjacency, store, training: training, using: &rng)
  }

  /// Same, from gc1's aggregated input `Â·x` (see `aggregate`).
  public func callAsFunction(
    aggregated ax: Tensor, adjacency: Tensor, _ store: ParameterStore, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> Output {
    let pre = gc1.forward(aggregated: ax, store)
    var hidden = ReLU()(pre).0
    var mask: [Float]?
    if training && dropout > 0 {
      let m = Dropout.mask(count: hidden.count, p: dropout, using: &rng)
      hidden = Dropout.apply(hidden, mask: m)
      mask = m
    }
    let logits = gc3(hidden, adjacency: adjacency, store).0
    return Output(
      scores: Sigmoid.forward(logits), logits: logits, hidden: hidden, preActivation: pre, mask: mask, aggregated: ax)
  }

  /// Accumulates gc1 and gc3 gradients from dL/dscores: (N, 1).
  public func backward(dScores: Tensor, _ output: Output, adjacency: Tensor, _ store: inout ParameterStore) {
    let dLogits = Sigmoid.backward(dScores, output: output.scores)
    var dHidden = gc3.backward(dLogits, output.hidden, adjacency: adjacency, &store)!
    if let mask = output.mask { dHidden = Dropout.apply(dHidden, mask: mask) }
    let dPre = ReLU().backward(dHidden, output.preActivation)
    gc1.backward(dPre, aggregated: output.aggregated, &store)
  }

  /// The k-center features of the code, `cat(feat, x)`: eval-mode hidden ‖ gc3 output (the logit,
  /// before the sigmoid, as upstream returns it). (N, hidden + 1), row-major.
  public static func coresetFeatures(_ output: Output) -> [Float] {
    let n = output.hidden.shape[0], h = output.hidden.shape[1]
    var out = [Float](repeating: 0, count: n * (h + 1))
    for i in 0..<n {
      for j in 0..<h { out[i * (h + 1) + j] = output.hidden.data[i * h + j] }
      out[i * (h + 1) + h] = output.logits.data[i]
    }
    return out
  }
}
