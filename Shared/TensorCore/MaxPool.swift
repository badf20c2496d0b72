// 2×2 max pooling with stride 2 (PyTorch `MaxPool2d(2)`, floor mode), forward and backward.

/// Max pooling with a k×k window and stride k on NCHW tensors.
public enum MaxPool {
    /// y: (N, C, H/k, W/k) and, for the backward pass, the flat input index of every maximum.
    public static func forward(_ x: Tensor, kernel k: Int = 2) -> (y: Tensor, argmax: [Int32]) {
        let (n, c, h, w) = x.nchw
        let oh = h / k, ow = w / k
        var y = Tensor(shape: [n, c, oh, ow])
        var arg = [Int32](repeating: 0, count: y.count)
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                arg.withUnsafeMutableBufferPointer { ap in
                    Parallel.forEach(n * c) { plane in
                        let xb = plane * h * w, yb = plane * oh * ow
                        for i in 0..<oh {
                            for j in 0..<ow {
                                var best = -Float.infinity, bi = xb + i * k * w + j * k
                                for p in 0..<k {
                                    for q in 0..<k {
                                        let idx = xb + (i * k + p) * w + j * k + q
                                        if xp[idx] > best || xp[idx].isNaN { best = xp[idx]; bi = idx }
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
        return (y, arg)
    }

    /// dx: dy routed to the positions of the maxima.
    public static func backward(_ dy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        var dx = Tensor(shape: inputShape)
        for i in 0..<dy.count { dx.data[Int(argmax[i])] += dy.data[i] }
        return dx
    }
}
