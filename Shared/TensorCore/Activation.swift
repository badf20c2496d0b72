// Element-wise activations: LeakyReLU (ReLU is slope 0), forward and backward.
// Reference: PyTorch `LeakyReLU` (default negative_slope 0.01) and `ReLU`.

/// Leaky rectifier y = x for x > 0, slope·x otherwise; `slope: 0` is ReLU.
public enum Activation {
    /// y = leakyReLU(x).
    public static func leakyReLU(_ x: Tensor, slope: Float = 0.01) -> Tensor {
        var y = x
        y.data.withUnsafeMutableBufferPointer { p in
            Parallel.forChunks(p.count) { r in
                for i in r { let v = p[i]; p[i] = v > 0 ? v : v * slope }   // branch-free: vectorises
            }
        }
        return y
    }

    /// dx = dy · (x > 0 ? 1 : slope), given the forward input x.
    public static func leakyReLUBackward(_ dy: Tensor, input x: Tensor, slope: Float = 0.01) -> Tensor {
        precondition(dy.shape == x.shape, "dy \(dy.shape) and x \(x.shape) differ")
        var dx = dy
        dx.data.withUnsafeMutableBufferPointer { d in
            x.data.withUnsafeBufferPointer { xp in
                Parallel.forChunks(d.count) { r in
                    for i in r { let g = d[i]; d[i] = xp[i] > 0 ? g : g * slope }
                }
            }
        }
        return dx
    }
}
