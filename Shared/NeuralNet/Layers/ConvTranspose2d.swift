// Transposed 2-D convolution with bias (PyTorch `nn.ConvTranspose2d`), forward and backward on oneDNN.

import TensorCore

/// Transposed convolution. Parameters `<name>.weight` (Cin, Cout, k, k) and `<name>.bias` (Cout).
///
/// Init follows PyTorch: fan-in is computed from weight dim 1, i.e. Cout·k·k, giving U(±1/√(Cout·k·k)).
public struct ConvTranspose2d: Sendable {
  public let name: String
  public let inputChannels: Int
  public let outputChannels: Int
  public let kernelSize: Int
  public let stride: Int
  /// Rows/columns cropped from each border of the output (PyTorch `padding`): VAAL's 4×4 / stride 2 /
  /// padding 1 doubles the size.
  public let padding: Int

  public init(
    name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int = 2, stride: Int = 2, padding: Int = 0
  ) {
    self.name = name
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelSize = kernelSize
    self.stride = stride
    self.padding = padding
  }

  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    let bound = 1 / Float(outputChannels * kernelSize * kernelSize).squareRoot()
    store.register(
      "\(name).weight",
      Tensor(
        uniform: [inputChannels, outputChannels, kernelSize, kernelSize],
        in: -bound...bound, using: &rng))
    store.register("\(name).bias", Tensor(uniform: [outputChannels], in: -bound...bound, using: &rng))
  }

  public struct Cache: Sendable {
    /// x: (N, Cin, H, W)
    public var input: Tensor
    public var geometry: ConvGeometry
  }

  /// y: (N, Cout, (H−1)·s − 2p + k, (W−1)·s − 2p + k)
  public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
    let (n, c, h, w) = x.nchw
    precondition(c == inputChannels, "\(name) expects \(inputChannels) channels, got \(x.shape)")
    let g = ConvGeometry(
      batch: n, inputChannels: c, outputChannels: outputChannels, inputHeight: h, inputWidth: w,
      kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding, transposed: true)
    let y = Convolution.forward(x, weight: store["\(name).weight"], bias: store["\(name).bias"], geometry: g)
    return (y, Cache(input: x, geometry: g))
  }

  public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    let (dw, db) = Convolution.backwardWeights(cache.input, dy, geometry: cache.geometry)
    store.accumulateGradient("\(name).weight", dw)
    store.accumulateGradient("\(name).bias", db)
    return Convolution.backwardData(dy, weight: store["\(name).weight"], geometry: cache.geometry)
  }
}
