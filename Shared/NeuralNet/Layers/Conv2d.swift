// 2-D convolution layer (PyTorch `nn.Conv2d`, with or without bias), forward and backward on oneDNN.

import TensorCore

/// Convolution layer. Parameters `<name>.weight` (Cout, Cin, k, k) and, when `bias`, `<name>.bias` (Cout).
///
/// Init: `.pytorchDefault` is `nn.Conv2d.reset_parameters`, kaiming_uniform(a=√5) → U(±1/√fanIn), bias U(±1/√fanIn);
/// `.kaimingNormalFanOut` is torchvision ResNet's `kaiming_normal_(mode="fan_out", nonlinearity="relu")`,
/// N(0, 2/(Cout·k·k)).
public struct Conv2d: Sendable {
  public enum Initialization: Sendable { case pytorchDefault, kaimingNormalFanOut }

  public let name: String
  public let inputChannels: Int
  public let outputChannels: Int
  public let kernelSize: Int
  public let stride: Int
  public let padding: Int
  /// False for `nn.Conv2d(..., bias=False)` (every ResNet conv): no `<name>.bias` parameter.
  public let bias: Bool
  public let initialization: Initialization

  public init(
    name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int = 3, stride: Int = 1, padding: Int = 1,
    bias: Bool = true, initialization: Initialization = .pytorchDefault
  ) {
    self.name = name
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelSize = kernelSize
    self.stride = stride
    self.padding = padding
    self.bias = bias
    self.initialization = initialization
  }

  public var weightShape: [Int] { [outputChannels, inputChannels, kernelSize, kernelSize] }

  /// Adds freshly initialised parameters to `store` (weight, then bias: PyTorch's draw order).
  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    let bound = 1 / Float(inputChannels * kernelSize * kernelSize).squareRoot()
    switch initialization {
    case .pytorchDefault:
      store.register("\(name).weight", Tensor(uniform: weightShape, in: -bound...bound, using: &rng))
    case .kaimingNormalFanOut:
      let std = (2 / Float(outputChannels * kernelSize * kernelSize)).squareRoot()
      store.register("\(name).weight", Tensor.normal(weightShape, std: std, using: &rng))
    }
    if bias { store.register("\(name).bias", Tensor(uniform: [outputChannels], in: -bound...bound, using: &rng)) }
  }

  public struct Cache: Sendable {
    /// x: (N, Cin, H, W)
    public var input: Tensor
    public var geometry: ConvGeometry
  }

  func geometry(for x: Tensor) -> ConvGeometry {
    let (n, c, h, w) = x.nchw
    precondition(c == inputChannels, "\(name) expects \(inputChannels) channels, got \(x.shape)")
    return ConvGeometry(
      batch: n, inputChannels: c, outputChannels: outputChannels, inputHeight: h, inputWidth: w,
      kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
  }

  /// y: (N, Cout, Ho, Wo)
  public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
    let g = geometry(for: x)
    let y = Convolution.forward(
      x, weight: store["\(name).weight"], bias: bias ? store["\(name).bias"] : nil, geometry: g)
    return (y, Cache(input: x, geometry: g))
  }

  /// Returns dx and accumulates dweight (and dbias) into `store`.
  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    accumulateGradients(dy, cache, &store)
    return Convolution.backwardData(dy, weight: store["\(name).weight"], geometry: cache.geometry)
  }

  /// Accumulates dweight (and dbias) without computing dx: for a first layer, whose input needs no gradient
  /// (skips the backward-data convolution).
  public func accumulateGradients(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) {
    let (dw, db) = Convolution.backwardWeights(cache.input, dy, geometry: cache.geometry)
    store.accumulateGradient("\(name).weight", dw)
    if bias { store.accumulateGradient("\(name).bias", db) }
  }
}
