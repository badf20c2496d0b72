// Global average pooling over the spatial plane: (N, C, H, W) → (N, C), and its backward.

/// Global average pooling (PyTorch `AdaptiveAvgPool2d(1)` followed by flatten).
public enum GlobalAveragePool {
  /// y[n, c] = mean over h, w of x[n, c, h, w].
  public static func forward(_ x: Tensor) -> Tensor {
    let (n, c, h, w) = x.nchw
    let plane = h * w
    var y = Tensor(shape: [n, c])
    for i in 0..<(n * c) {
      var s: Float = 0
      for j in 0..<plane { s += x.data[i * plane + j] }
      y.data[i] = s / Float(plane)
    }
    return y
  }

  /// dx[n, c, h, w] = dy[n, c] / (H·W).
  public static func backward(_ dy: Tensor, inputShape: [Int]) -> Tensor {
    let plane = inputShape[2] * inputShape[3]
    var dx = Tensor(shape: inputShape)
    for i in 0..<dx.count { dx.data[i] = dy.data[i / plane] / Float(plane) }
    return dx
  }
}
