// Max pooling with a k×k window, stride s and padding p (PyTorch `nn.MaxPool2d(3, 2, 1)`, the ResNet stem pool).
// Belongs in TensorCore's MaxPool, which only has stride = kernel and no padding.

import TensorCore

/// MaxPool2d(kernel, stride, padding), floor mode; padded cells count as −∞. No parameters.
public struct PaddedMaxPool2d: Sendable {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int

    public init(kernelSize: Int = 3, stride: Int = 2, padding: Int = 1) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public struct Cache: Sendable {
        /// Flat input index of each output's maximum.
        public var argmax: [Int32]
        public var inputShape: [Int]
    }

    /// x: (N, C, H, W) → y: (N, C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1)
    public func callAsFunction(_ x: Tensor) -> (Tensor, Cache) {
        let (n, c, h, w) = x.nchw
        let oh = (h + 2 * padding - kernelSize) / stride + 1, ow = (w + 2 * padding - kernelSize) / stride + 1
        var y = Tensor(shape: [n, c, oh, ow])
        var arg = [Int32](repeating: 0, count: y.count)
        let (k, s, p) = (kernelSize, stride, padding)
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                arg.withUnsafeMutableBufferPointer { ap in
                    Parallel.forEach(n * c) { plane in
                        let xb = plane * h * w, yb = plane * oh * ow
                        for i in 0..<oh {
                            for j in 0..<ow {
                                var best = -Float.infinity, bi = -1
                                for di in 0..<k {
                                    let r = i * s - p + di
                                    if r < 0 || r >= h { continue }
                                    for dj in 0..<k {
                                        let q = j * s - p + dj
                                        if q < 0 || q >= w { continue }
                                        let idx = xb + r * w + q
                                        if bi < 0 || xp[idx] > best || xp[idx].isNaN { best = xp[idx]; bi = idx }
                                    }
                                }
                                yp[yb + i * ow + j] = best
                                ap[yb + i * ow + j] = Int32(bi)
                            }
                        }
                    }
                }
            }
        }
        return (y, Cache(argmax: arg, inputShape: x.shape))
    }

    /// dx: dy routed to the positions of the maxima.
    public func backward(_ dy: Tensor, _ cache: Cache) -> Tensor {
        var dx = Tensor(shape: cache.inputShape)
        for i in 0..<dy.count { dx.data[Int(cache.argmax[i])] += dy.data[i] }
        return dx
    }
}
