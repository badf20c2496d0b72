// Max pooling with a k×k window, stride s and padding p (PyTorch `MaxPool2d(k, s, p)`, floor mode), forward and
// backward: the UNet's 2×2/2 pool and the ResNet stem's 3×3/2 pad-1 pool.

/// Max pooling on NCHW tensors; padded cells count as −∞.
public enum MaxPool {
  /// y: (N, C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1) and, for the backward pass, the flat input index of every
  /// maximum. `stride` defaults to the kernel size.
  public static func forward(_ x: Tensor, kernel k: Int = 2, stride: Int? = nil, padding p: Int = 0)
    -> (y: Tensor, argmax: [Int32])
  {
    let (n, c, h, w) = x.nchw
    let s = stride ?? k
    precondition(k > 0 && s > 0 && p >= 0 && 2 * p <= k, "MaxPool(\(k), stride \(s), padding \(p)) is not a valid pool")
    let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
    var y = Tensor(shape: [n, c, oh, ow])
    var arg = [Int32](repeating: 0, count: y.count)
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
    return (y, arg)
  }

  /// dx: dy routed to the positions of the maxima.
  public static func backward(_ dy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    var dx = Tensor(shape: inputShape)
    for i in 0..<dy.count { dx.data[Int(argmax[i])] += dy.data[i] }
    return dx
  }
}
