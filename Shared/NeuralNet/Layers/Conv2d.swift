// 2-D convolution layer with bias (PyTorch `nn.Conv2d`), forward and backward on oneDNN.

import TensorCore

/// Convolution layer. Parameters `<name>.weight` (Cout, Cin, k, k) and `<name>.bias` (Cout).
///
/// Init follows PyTorch `nn.Conv2d.reset_parameters`: kaiming_uniform(a=√5) → U(±1/√fanIn), bias U(±1/√fanIn).
public struct Conv2d: Sendable {
    public let name: String
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int

    public init(name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int = 3, stride: Int = 1, padding: Int = 1) {
        self.name = name
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    /// Adds freshly initialised parameters to `store`.
    public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
        let bound = 1 / Float(inputChannels * kernelSize * kernelSize).squareRoot()
        store.register("\(name).weight", Tensor(uniform: [outputChannels, inputChannels, kernelSize, kernelSize],
                                                in: -bound...bound, using: &rng))
        store.register("\(name).bias", Tensor(uniform: [outputChannels], in: -bound...bound, using: &rng))
    }

    public struct Cache: Sendable {
        /// x: (N, Cin, H, W)
        public var input: Tensor
        public var geometry: ConvGeometry
    }

    func geometry(for x: Tensor) -> ConvGeometry {
        let (n, c, h, w) = x.nchw
        precondition(c == inputChannels, "\(name) expects \(inputChannels) channels, got \(x.shape)")
        return ConvGeometry(batch: n, inputChannels: c, outputChannels: outputChannels, inputHeight: h, inputWidth: w,
                            kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    /// y: (N, Cout, Ho, Wo)
    public func callAsFunction(_ x: Tensor, _ store: ParameterStore) -> (Tensor, Cache) {
        let g = geometry(for: x)
        let y = Convolution.forward(x, weight: store["\(name).weight"], bias: store["\(name).bias"], geometry: g)
        return (y, Cache(input: x, geometry: g))
    }

    /// Returns dx and accumulates dweight, dbias into `store`.
    public func backward(_ dy: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
        let (dw, db) = Convolution.backwardWeights(cache.input, dy, geometry: cache.geometry)
        store.accumulateGradient("\(name).weight", dw)
        store.accumulateGradient("\(name).bias", db)
        return Convolution.backwardData(dy, weight: store["\(name).weight"], geometry: cache.geometry)
    }
}
