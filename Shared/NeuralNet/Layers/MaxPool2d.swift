// Max pooling layer with a k×k window and stride k (PyTorch `nn.MaxPool2d(k)`).

import TensorCore

/// MaxPool2d(kernel) with stride = kernel, floor mode. No parameters.
public struct MaxPool2d: Sendable {
    public let kernelSize: Int

    public init(kernelSize: Int = 2) {
        self.kernelSize = kernelSize
    }

    public struct Cache: Sendable {
        public var argmax: [Int32]
        public var inputShape: [Int]
    }

    /// y: (N, C, H/k, W/k)
    public func callAsFunction(_ x: Tensor) -> (Tensor, Cache) {
        let (y, arg) = MaxPool.forward(x, kernel: kernelSize)
        return (y, Cache(argmax: arg, inputShape: x.shape))
    }

    public func backward(_ dy: Tensor, _ cache: Cache) -> Tensor {
        MaxPool.backward(dy, argmax: cache.argmax, inputShape: cache.inputShape)
    }
}
