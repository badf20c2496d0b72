// Max pooling layer (PyTorch `nn.MaxPool2d(k)` and `nn.MaxPool2d(k, stride, padding)`).

import TensorCore

/// MaxPool2d(kernel, stride = kernel, padding = 0), floor mode; padded cells count as −∞. No parameters.
public struct MaxPool2d: Sendable {
  public let kernelSize: Int
  public let stride: Int
  public let padding: Int

  /// `stride` defaults to `kernelSize` (the UNet's pool); the ResNet stem uses `MaxPool2d(kernelSize: 3, stride: 2, padding: 1)`.
  public init(kernelSize: Int = 2, stride: Int? = nil, padding: Int = 0) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }

  public struct Cache: Sendable {
    public var argmax: [Int32]
    public var inputShape: [Int]
  }

  /// y: (N, C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1)
  public func callAsFunction(_ x: Tensor) -> (Tensor, Cache) {
    let (y, arg) = MaxPool.forward(x, kernel: kernelSize, stride: stride, padding: padding)
    return (y, Cache(argmax: arg, inputShape: x.shape))
  }

  public func backward(_ dy: Tensor, _ cache: Cache) -> Tensor {
    MaxPool.backward(dy, argmax: cache.argmax, inputShape: cache.inputShape)
  }
}
