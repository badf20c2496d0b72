// Bilinear resize of a 2D slice on the corner-aligned grid of scipy.ndimage.zoom(order=1, grid_mode=False):
// output index o reads input position o·(in−1)/(out−1), the same grid as NearestResize, so resizing back
// what NearestResize shrank puts every boundary where it was.

/// Bilinear resampling of row-major (H, W) slices.
public enum BilinearResize {
  /// The input position of every output index along one axis: o·(in−1)/(out−1), or 0 when out is 1.
  public static func sourcePositions(inputSize: Int, outputSize: Int) -> [Double] {
    precondition(inputSize > 0 && outputSize > 0, "BilinearResize needs positive sizes, got \(inputSize)→\(outputSize)")
    let zoom = outputSize > 1 ? Double(inputSize - 1) / Double(outputSize - 1) : 0
    return (0..<outputSize).map { Double($0) * zoom }
  }

  /// Resizes one slice `values` (height × width, row-major) to outHeight × outWidth.
  public static func resize(_ values: [Float], height: Int, width: Int, outHeight: Int, outWidth: Int) -> [Float] {
    precondition(values.count == height * width, "BilinearResize: \(values.count) values for \(height)×\(width)")
    if height == outHeight && width == outWidth { return values }
    let rows = taps(inputSize: height, outputSize: outHeight)
    let cols = taps(inputSize: width, outputSize: outWidth)
    var out = [Float](repeating: 0, count: outHeight * outWidth)
    values.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for (o, row) in rows.enumerated() {
          let top = row.low * width, bottom = row.high * width
          for (p, col) in cols.enumerated() {
            let upper = src[top + col.low] * (1 - col.weight) + src[top + col.high] * col.weight
            let lower = src[bottom + col.low] * (1 - col.weight) + src[bottom + col.high] * col.weight
            dst[o * outWidth + p] = upper * (1 - row.weight) + lower * row.weight
          }
        }
      }
    }
    return out
  }

  /// The two input indices around each output position and the weight of the upper one.
  static func taps(inputSize: Int, outputSize: Int) -> [(low: Int, high: Int, weight: Float)] {
    sourcePositions(inputSize: inputSize, outputSize: outputSize).map { position in
      let low = min(Int(position.rounded(.down)), inputSize - 1)
      let high = min(low + 1, inputSize - 1)
      return (low, high, Float(position - Double(low)))
    }
  }
}
