// Reference batch-norm kernels in plain Double loops; the vectorised, channel-parallel ones are tested against these.

extension BatchNorm {
  /// Reference training forward: y, batch mean and biased variance, all computed in Double.
  public static func trainForwardNaive(_ x: Tensor, gamma: [Float], beta: [Float], eps: Float = 1e-5)
    -> (y: Tensor, mean: [Float], variance: [Float])
  {
    let (n, c, h, w) = x.nchw
    let plane = h * w, m = Double(n * plane)
    var y = Tensor(shape: x.shape)
    var means = [Float](), variances = [Float]()
    for ch in 0..<c {
      var s = 0.0
      for i in 0..<n { for j in 0..<plane { s += Double(x.data[(i * c + ch) * plane + j]) } }
      let mu = s / m
      var ss = 0.0
      for i in 0..<n { for j in 0..<plane { let d = Double(x.data[(i * c + ch) * plane + j]) - mu; ss += d * d } }
      let vr = ss / m
      for i in 0..<n {
        for j in 0..<plane {
          let k = (i * c + ch) * plane + j
          y.data[k] = Float(
            Double(gamma[ch]) * (Double(x.data[k]) - mu) / (vr + Double(eps)).squareRoot() + Double(beta[ch]))
        }
      }
      means.append(Float(mu)); variances.append(Float(vr))
    }
    return (y, means, variances)
  }

  /// Reference training backward from x itself (recomputing the statistics), in Double.
  public static func backwardNaive(_ dy: Tensor, input x: Tensor, gamma: [Float], eps: Float = 1e-5)
    -> (dx: Tensor, dgamma: [Float], dbeta: [Float])
  {
    let (n, c, h, w) = x.nchw
    let plane = h * w, m = Double(n * plane)
    var dx = Tensor(shape: x.shape)
    var dgamma = [Float](), dbeta = [Float]()
    for ch in 0..<c {
      let idx = (0..<n).flatMap { i in (0..<plane).map { (i * c + ch) * plane + $0 } }
      let mu = idx.reduce(0.0) { $0 + Double(x.data[$1]) } / m
      let vr = idx.reduce(0.0) { $0 + (Double(x.data[$1]) - mu) * (Double(x.data[$1]) - mu) } / m
      let istd = 1 / (vr + Double(eps)).squareRoot()
      let db = idx.reduce(0.0) { $0 + Double(dy.data[$1]) }
      let dg = idx.reduce(0.0) { $0 + Double(dy.data[$1]) * (Double(x.data[$1]) - mu) * istd }
      for k in idx {
        let xhat = (Double(x.data[k]) - mu) * istd
        dx.data[k] = Float(Double(gamma[ch]) * istd / m * (m * Double(dy.data[k]) - db - xhat * dg))
      }
      dgamma.append(Float(dg)); dbeta.append(Float(db))
    }
    return (dx, dgamma, dbeta)
  }
}
