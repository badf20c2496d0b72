// Nearest-neighbour resize of a 2D slice, bit-exact with scipy.ndimage.zoom(order=0, grid_mode=False)
// (method-spec §9.2): output index o reads input index floor(o·(in−1)/(out−1) + 0.5).

/// Nearest-neighbour resampling of row-major (H, W) slices.
public enum NearestResize {
  /// Source index for every output index along one axis, as scipy's `NI_ZoomShift` computes it for order 0.
  public static func sourceIndices(inputSize: Int, outputSize: Int) -> [Int] {
    precondition(inputSize > 0 && outputSize > 0, "NearestResize needs positive sizes, got \(inputSize)→\(outputSize)")
    // scipy: zoom = (in - 1) / (out - 1), or 1 when out == 1.
    let zoom = outputSize > 1 ? Double(inputSize - 1) / Double(outputSize - 1) : 1.0
    return (0..<outputSize).map { o in
      let c = Double(o) * zoom
      return min(max(Int((c + 0.5).rounded(.down)), 0), inputSize - 1)
    }
  }

  /// Resizes one slice `values` (height × width, row-major) to (outHeight × outWidth).
  public static func resize<T>(_ values: [T], height: Int, width: Int, outHeight: Int, outWidth: Int) -> [T] {
    precondition(values.count == height * width, "NearestResize: \(values.count) values for \(height)×\(width)")
    if height == outHeight && width == outWidth { return values }
    let rows = sourceIndices(inputSize: height, outputSize: outHeight)
    let cols = sourceIndices(inputSize: width, outputSize: outWidth)
    var out = [T]()
    out.reserveCapacity(outHeight * outWidth)
    for r in rows {
      let base = r * width
      for c in cols { out.append(values[base + c]) }
    }
    return out
  }

  /// Resizes every slice of a (depth, height, width) volume to (outHeight, outWidth).
  public static func resizeVolume<T>(
    _ values: [T], depth: Int, height: Int, width: Int,
    outHeight: Int, outWidth: Int
  ) -> [T] {
    precondition(values.count == depth * height * width, "NearestResize: volume size mismatch")
    if height == outHeight && width == outWidth { return values }
    var out = [T]()
    out.reserveCapacity(depth * outHeight * outWidth)
    let n = height * width
    for z in 0..<depth {
      out += resize(
        Array(values[(z * n)..<((z + 1) * n)]), height: height, width: width,
        outHeight: outHeight, outWidth: outWidth)
    }
    return out
  }
}
