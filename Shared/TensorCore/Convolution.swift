// Fast 2-D convolution and transposed convolution on oneDNN (forward, backward-data, backward-weights).
// Reference kernels with the same contract live in Convolution+Naive.swift.

/// 2-D convolution and transposed convolution (PyTorch `conv2d` / `conv_transpose2d` semantics) on oneDNN.
///
/// Weights use PyTorch's layout: (Cout, Cin, kH, kW) for a convolution, (Cin, Cout, kH, kW) when transposed.
public enum Convolution {
  /// y = conv(x, w) + b.  x: (N, Cin, H, W) → y: (N, Cout, Ho, Wo).
  public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvGeometry) -> Tensor {
    checkShapes(x: x, weight: weight, geometry: g)
    var y = Tensor(uninitializedShape: g.outputShape)  // oneDNN writes every element
    var b = bias ?? Tensor(shape: [g.outputChannels])
    precondition(b.shape == [g.outputChannels], "bias shape \(b.shape) does not match \(g.outputChannels) outputs")
    // inputs are only read by oneDNN: borrow their storage instead of forcing a copy-on-write
    x.data.withUnsafeBytes { xp in
      weight.data.withUnsafeBytes { wp in
        b.data.withUnsafeMutableBytes { bp in
          y.data.withUnsafeMutableBytes { yp in
            DNNL.execute(
              g, .forward,
              [
                (.src, mutating(xp)), (.weights, mutating(wp)),
                (.bias, bp.baseAddress!), (.dst, yp.baseAddress!)
              ])
          }
        }
      }
    }
    return y
  }

  /// dx from dy.  dy: (N, Cout, Ho, Wo) → dx: (N, Cin, H, W).
  public static func backwardData(_ dy: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    precondition(dy.shape == g.outputShape, "dy shape \(dy.shape) does not match \(g.outputShape)")
    precondition(weight.shape == g.weightShape, "weight shape \(weight.shape) does not match \(g.weightShape)")
    var dx = Tensor(uninitializedShape: g.inputShape)  // oneDNN writes every element
    dy.data.withUnsafeBytes { dyp in
      weight.data.withUnsafeBytes { wp in
        dx.data.withUnsafeMutableBytes { dxp in
          DNNL.execute(
            g, .backwardData,
            [
              (.diffDst, mutating(dyp)), (.weights, mutating(wp)),
              (.diffSrc, dxp.baseAddress!)
            ])
        }
      }
    }
    return dx
  }

  /// (dw, db) from x and dy.  dw has the weight shape, db is (Cout).
  public static func backwardWeights(_ x: Tensor, _ dy: Tensor, geometry g: ConvGeometry) -> (
    weight: Tensor, bias: Tensor
  ) {
    precondition(x.shape == g.inputShape, "x shape \(x.shape) does not match \(g.inputShape)")
    precondition(dy.shape == g.outputShape, "dy shape \(dy.shape) does not match \(g.outputShape)")
    var dw = Tensor(shape: g.weightShape), db = Tensor(shape: [g.outputChannels])
    x.data.withUnsafeBytes { xp in
      dy.data.withUnsafeBytes { dyp in
        dw.data.withUnsafeMutableBytes { dwp in
          db.data.withUnsafeMutableBytes { dbp in
            DNNL.execute(
              g, .backwardWeights,
              [
                (.src, mutating(xp)), (.diffDst, mutating(dyp)),
                (.diffWeights, dwp.baseAddress!), (.diffBias, dbp.baseAddress!)
              ])
          }
        }
      }
    }
    return (dw, db)
  }

  /// Names of the oneDNN kernels chosen for `g`: forward, backward-data, backward-weights (for benchmarks and logs).
  public static func implementations(_ g: ConvGeometry) -> [String] {
    DNNL.implementations(g)
  }

  /// oneDNN's C API takes `void *` for every argument; read-only inputs are passed through this cast.
  static func mutating(_ p: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer {
    UnsafeMutableRawPointer(mutating: p.baseAddress!)
  }

  static func checkShapes(x: Tensor, weight: Tensor, geometry g: ConvGeometry) {
    precondition(x.shape == g.inputShape, "convolution expects input \(g.inputShape), got \(x.shape)")
    precondition(weight.shape == g.weightShape, "convolution expects weight \(g.weightShape), got \(weight.shape)")
  }
}
