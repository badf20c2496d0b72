// Bias-free 2-D convolution (PyTorch `nn.Conv2d(..., bias=False)`), the conv of every ResNet block.
// Belongs in NeuralNet next to Conv2d (which always has a bias).

import NeuralNet
import TensorCore

/// Convolution without bias. Parameter `<name>.weight` (Cout, Cin, k, k); any stride and padding.
///
/// Init: `.kaimingFanOut` is torchvision ResNet's `kaiming_normal_(mode="fan_out", nonlinearity="relu")`,
/// N(0, 2/(Cout·k·k)); `.pytorchDefault` is `nn.Conv2d.reset_parameters`, U(±1/√(Cin·k·k)).
public struct PlainConv2d: Sendable {
    public enum Initialization: Sendable { case kaimingFanOut, pytorchDefault }

    public let name: String
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let initialization: Initialization

    public init(name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                initialization: Initialization = .kaimingFanOut) {
        self.name = name
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.initialization = initialization
    }

    public var weightShape: [Int] { [outputChannels, inputChannels, kernelSize, kernelSize] }

    public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
        switch initialization {
        case .pytorchDefault:
            let bound = 1 / Float(inputChannels * kernelSize * kernelSize).squareRoot()
            store.register("\(name).weight", Tensor(uniform: weightShape, in: -bound...bound, using: &rng))
        case .kaimingFanOut:
            let std = (2 / Float(outputChannels * kernelSize * kernelSize)).squareRoot()
            store.register("\(name).weight", Tensor.normal(weightShape, std: std, using: &rng))
        }
    }

    public struct Cache: Sendable {
        /// x: (N, Cin, H, W)
        public var input: Tensor
        public var geometry: ConvGeometry
    }

    /// x: (N, Cin, H, W) → y: (N, Cout, Ho, Wo)
    public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
        let (n, c, h, w) = x.nchw
        precondition(c == inputChannels, "\(name) expects \(inputChannels) channels, got \(x.shape)")
        let g = ConvGeometry(batch: n, inputChannels: c, outputChannels: outputChannels, inputHeight: h, inputWidth: w,
                             kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
        let y = Convolution.forward(x, weight: store["\(name).weight"], bias: nil, geometry: g)
        return (y, Cache(input: x, geometry: g))
    }

    /// Accumulates dweight only, for a first layer whose input needs no gradient (skips the backward-data pass).
    public func accumulateWeightGradient(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) {
        store.accumulateGradient("\(name).weight", Convolution.backwardWeights(cache.input, dy, geometry: cache.geometry).weight)
    }

    /// Returns dx: (N, Cin, H, W) and accumulates dweight.
    public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
        let (dw, _) = Convolution.backwardWeights(cache.input, dy, geometry: cache.geometry)
        store.accumulateGradient("\(name).weight", dw)
        return Convolution.backwardData(dy, weight: store["\(name).weight"], geometry: cache.geometry)
    }
}
