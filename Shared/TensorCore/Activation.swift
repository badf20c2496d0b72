// Element-wise activations: LeakyReLU (ReLU is slope 0), forward and backward.
// Reference: PyTorch `LeakyReLU` (default negative_slope 0.01) and `ReLU`.

/// Leaky rectifier y = x for x > 0, slope·x otherwise; `slope: 0` is ReLU.
public enum Activation {
  /// y = leakyReLU(x). One pass: reads x, writes y.
  public static func leakyReLU(_ x: Tensor, slope: Float = 0.01) -> Tensor {
    var y = Tensor(uninitializedShape: x.shape)
    x.data.withUnsafeBufferPointer { xp in
      y.data.withUnsafeMutableBufferPointer { yp in
        let out = yp
        Parallel.forChunks(xp.count) { r in
          for i in r { let v = xp[i]; out[i] = v > 0 ? v : v * slope }  // branch-free: vectorises
        }
      }
    }
    return y
  }

  /// dx = dy · (x > 0 ? 1 : slope), given the forward input x. One pass: reads dy and x, writes dx.
  public static func leakyReLUBackward(_ dy: Tensor, input x: Tensor, slope: Float = 0.01) -> Tensor {
    precondition(dy.shape == x.shape, "dy \(dy.shape) and x \(x.shape) differ")
    var dx = Tensor(uninitializedShape: dy.shape)
    dx.data.withUnsafeMutableBufferPointer { d in
      let out = d
      dy.data.withUnsafeBufferPointer { g in
        x.data.withUnsafeBufferPointer { xp in
          Parallel.forChunks(out.count) { r in
            for i in r { out[i] = xp[i] > 0 ? g[i] : g[i] * slope }
          }
        }
      }
    }
    return dx
  }
}
