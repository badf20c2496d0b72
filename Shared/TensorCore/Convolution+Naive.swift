// Reference (direct-loop) convolution and transposed convolution kernels; the oneDNN path is tested against these.

extension Convolution {
  /// Visits every (input element, output element, weight element) triple that a (transposed) convolution links.
  /// For a convolution the output index is the "small" one (in = out·s − p + k); transposed, the input is.
  private static func forEachTap(_ g: ConvGeometry, _ body: (_ xi: Int, _ yi: Int, _ wi: Int) -> Void) {
    let (ci, co, kh, kw) = (g.inputChannels, g.outputChannels, g.kernelHeight, g.kernelWidth)
    let (ih, iw, oh, ow) = (g.inputHeight, g.inputWidth, g.outputHeight, g.outputWidth)
    let (smallH, smallW, bigH, bigW) = g.transposed ? (ih, iw, oh, ow) : (oh, ow, ih, iw)
    for n in 0..<g.batch {
      for a in 0..<ci {
        for b in 0..<co {
          for p in 0..<kh {
            for q in 0..<kw {
              let wi = g.transposed ? ((a * co + b) * kh + p) * kw + q : ((b * ci + a) * kh + p) * kw + q
              for sy in 0..<smallH {
                let by = sy * g.stride - g.padding + p
                if by < 0 || by >= bigH { continue }
                for sx in 0..<smallW {
                  let bx = sx * g.stride - g.padding + q
                  if bx < 0 || bx >= bigW { continue }
                  let (yy, yx, xy, xx) = g.transposed ? (by, bx, sy, sx) : (sy, sx, by, bx)
                  body(((n * ci + a) * ih + xy) * iw + xx, ((n * co + b) * oh + yy) * ow + yx, wi)
                }
              }
            }
          }
        }
      }
    }
  }

  /// Reference forward, accumulating in Double.
  public static func forwardNaive(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvGeometry) -> Tensor {
    checkShapes(x: x, weight: weight, geometry: g)
    var acc = [Double](repeating: 0, count: g.outputShape.reduce(1, *))
    forEachTap(g) { xi, yi, wi in acc[yi] += Double(x.data[xi]) * Double(weight.data[wi]) }
    var y = Tensor(shape: g.outputShape, data: acc.map { Float($0) })
    if let bias {
      let plane = g.outputHeight * g.outputWidth
      for i in 0..<y.count { y.data[i] += bias.data[(i / plane) % g.outputChannels] }
    }
    return y
  }

  /// Reference backward-data.
  public static func backwardDataNaive(_ dy: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    var acc = [Double](repeating: 0, count: g.inputShape.reduce(1, *))
    forEachTap(g) { xi, yi, wi in acc[xi] += Double(dy.data[yi]) * Double(weight.data[wi]) }
    return Tensor(shape: g.inputShape, data: acc.map { Float($0) })
  }

  /// Reference backward-weights: (dw, db).
  public static func backwardWeightsNaive(_ x: Tensor, _ dy: Tensor, geometry g: ConvGeometry) -> (
    weight: Tensor, bias: Tensor
  ) {
    var acc = [Double](repeating: 0, count: g.weightShape.reduce(1, *))
    forEachTap(g) { xi, yi, wi in acc[wi] += Double(x.data[xi]) * Double(dy.data[yi]) }
    var db = [Double](repeating: 0, count: g.outputChannels)
    let plane = g.outputHeight * g.outputWidth
    for i in 0..<dy.count { db[(i / plane) % g.outputChannels] += Double(dy.data[i]) }
    return (
      Tensor(shape: g.weightShape, data: acc.map { Float($0) }),
      Tensor(shape: [g.outputChannels], data: db.map { Float($0) })
    )
  }
}
