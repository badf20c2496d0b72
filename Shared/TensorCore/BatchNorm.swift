// Batch normalisation over NCHW channels: training (batch statistics) and evaluation (running statistics).
// Reference: Ioffe & Szegedy 2015; PyTorch `BatchNorm2d` (biased variance to normalise, unbiased for the running update).

/// Per-channel batch-norm kernels on NCHW tensors (hand-written Swift, parallel over channels).
public enum BatchNorm {
    /// What the backward pass needs from a training forward pass.
    public struct Cache: Sendable {
        /// Normalised input.  xhat: (N, C, H, W)
        public var normalized: Tensor
        /// 1 / sqrt(var + eps) per channel.  (C)
        public var inverseStd: [Float]
    }

    /// Training forward with batch statistics. Returns y, the per-channel batch mean and biased variance, and the cache.
    public static func trainForward(_ x: Tensor, gamma: [Float], beta: [Float], eps: Float = 1e-5)
        -> (y: Tensor, mean: [Float], variance: [Float], cache: Cache) {
        let (n, c, h, w) = x.nchw
        precondition(gamma.count == c && beta.count == c, "BatchNorm over \(c) channels got \(gamma.count) scales")
        let plane = h * w, m = Double(n * plane)
        var y = Tensor(shape: x.shape), xhat = Tensor(shape: x.shape)
        var mean = [Float](repeating: 0, count: c), variance = mean, inv = mean
        x.data.withUnsafeBufferPointer { xp in
            y.data.withUnsafeMutableBufferPointer { yp in
                xhat.data.withUnsafeMutableBufferPointer { hp in
                    mean.withUnsafeMutableBufferPointer { mp in
                        variance.withUnsafeMutableBufferPointer { vp in
                            inv.withUnsafeMutableBufferPointer { ip in
                                Parallel.forEach(c) { ch in
                                    var s = 0.0
                                    for i in 0..<n { s += planeSum(xp, (i * c + ch) * plane, plane, shift: 0) }
                                    let mu = s / m
                                    var ss = 0.0
                                    for i in 0..<n { ss += planeSquares(xp, (i * c + ch) * plane, plane, shift: Float(mu)) }
                                    // correct for rounding of the shift: Σ(x−μ')² = Σ(x−μ)² + m(μ−μ')²
                                    let vr = max(0, ss / m - (mu - Double(Float(mu))) * (mu - Double(Float(mu))))
                                    let istd = Float(1 / (vr + Double(eps)).squareRoot())
                                    let muf = Float(mu), g = gamma[ch], b = beta[ch]
                                    for i in 0..<n { let base = (i * c + ch) * plane
                                        for j in 0..<plane {
                                            let xh = (xp[base + j] - muf) * istd
                                            hp[base + j] = xh
                                            yp[base + j] = g * xh + b
                                        } }
                                    mp[ch] = muf; vp[ch] = Float(vr); ip[ch] = istd
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, mean, variance, Cache(normalized: xhat, inverseStd: inv))
    }

    /// Evaluation forward with fixed statistics: y = gamma·(x − mean)/sqrt(var + eps) + beta.
    public static func evalForward(_ x: Tensor, gamma: [Float], beta: [Float], mean: [Float], variance: [Float],
                                   eps: Float = 1e-5) -> Tensor {
        let (_, c, h, w) = x.nchw
        let plane = h * w
        var y = x
        for i in 0..<y.count {
            let ch = (i / plane) % c
            y.data[i] = gamma[ch] * (x.data[i] - mean[ch]) / (variance[ch] + eps).squareRoot() + beta[ch]
        }
        return y
    }

    /// Training backward: dx, dgamma, dbeta from dy and the forward cache.
    public static func backward(_ dy: Tensor, gamma: [Float], cache: Cache) -> (dx: Tensor, dgamma: [Float], dbeta: [Float]) {
        let (n, c, h, w) = dy.nchw
        let plane = h * w, m = Float(n * plane)
        var dx = Tensor(shape: dy.shape)
        var dgamma = [Float](repeating: 0, count: c), dbeta = dgamma
        dy.data.withUnsafeBufferPointer { dyp in
            cache.normalized.data.withUnsafeBufferPointer { hp in
                dx.data.withUnsafeMutableBufferPointer { dxp in
                    dgamma.withUnsafeMutableBufferPointer { dgp in
                        dbeta.withUnsafeMutableBufferPointer { dbp in
                            Parallel.forEach(c) { ch in
                                var sg = 0.0, sb = 0.0
                                for i in 0..<n {
                                    let base = (i * c + ch) * plane
                                    sb += planeSum(dyp, base, plane, shift: 0)
                                    sg += planeDot(dyp, hp, base, plane)
                                }
                                let dg = Float(sg), db = Float(sb)
                                let k = gamma[ch] * cache.inverseStd[ch] / m
                                for i in 0..<n { let base = (i * c + ch) * plane
                                    for j in 0..<plane { dxp[base + j] = k * (m * dyp[base + j] - db - hp[base + j] * dg) } }
                                dgp[ch] = dg; dbp[ch] = db
                            }
                        }
                    }
                }
            }
        }
        return (dx, dgamma, dbeta)
    }

    /// Σ (x − shift) over one plane, with 8 float lanes (vectorisable) combined in Double.
    @inline(__always)
    static func planeSum(_ p: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int, shift: Float) -> Double {
        var acc = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= count {
            acc += SIMD8<Float>(p[base + j], p[base + j + 1], p[base + j + 2], p[base + j + 3],
                                p[base + j + 4], p[base + j + 5], p[base + j + 6], p[base + j + 7]) - shift
            j += 8
        }
        var total = Double(acc.sum())
        while j < count { total += Double(p[base + j] - shift); j += 1 }
        return total
    }

    /// Σ (x − shift)² over one plane.
    @inline(__always)
    static func planeSquares(_ p: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int, shift: Float) -> Double {
        var acc = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= count {
            let d = SIMD8<Float>(p[base + j], p[base + j + 1], p[base + j + 2], p[base + j + 3],
                                 p[base + j + 4], p[base + j + 5], p[base + j + 6], p[base + j + 7]) - shift
            acc += d * d
            j += 8
        }
        var total = Double(acc.sum())
        while j < count { let d = Double(p[base + j] - shift); total += d * d; j += 1 }
        return total
    }

    /// Σ a·b over one plane.
    @inline(__always)
    static func planeDot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ base: Int, _ count: Int) -> Double {
        var acc = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= count {
            let x = SIMD8<Float>(a[base + j], a[base + j + 1], a[base + j + 2], a[base + j + 3],
                                 a[base + j + 4], a[base + j + 5], a[base + j + 6], a[base + j + 7])
            let y = SIMD8<Float>(b[base + j], b[base + j + 1], b[base + j + 2], b[base + j + 3],
                                 b[base + j + 4], b[base + j + 5], b[base + j + 6], b[base + j + 7])
            acc += x * y
            j += 8
        }
        var total = Double(acc.sum())
        while j < count { total += Double(a[base + j] * b[base + j]); j += 1 }
        return total
    }
}
