// Exact Euclidean distance transform with per-axis spacing (scipy.ndimage.distance_transform_edt semantics):
// Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions" (2012), one separable pass per axis.

/// Distance from every element of an n-D grid to the nearest feature element.
public enum EuclideanDistanceTransform {
  /// Distances (in the units of `spacing`) from each element to the nearest element where `features` is true;
  /// +infinity everywhere when there is no feature. `scipy.ndimage.distance_transform_edt(~features, sampling)`.
  /// features: row-major grid of `shape`; spacing: one step length per axis (default 1).
  public static func distances(toNearest features: [Bool], shape: [Int], spacing: [Double]? = nil) -> [Double] {
    var d = squaredDistances(toNearest: features, shape: shape, spacing: spacing)
    for i in 0..<d.count { d[i] = d[i].squareRoot() }
    return d
  }

  /// Squared distances, as `distances` but without the final square root.
  public static func squaredDistances(toNearest features: [Bool], shape: [Int], spacing: [Double]? = nil) -> [Double] {
    let count = shape.reduce(1, *)
    precondition(features.count == count, "EDT: \(features.count) values for shape \(shape)")
    let spacing = spacing ?? [Double](repeating: 1, count: shape.count)
    precondition(
      spacing.count == shape.count && spacing.allSatisfy { $0 > 0 },
      "EDT needs one positive spacing per axis, got \(spacing)")
    var f = features.map { $0 ? 0.0 : Double.infinity }
    var strides = [Int](repeating: 1, count: shape.count)
    for a in stride(from: shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * shape[a + 1] }
    var line = [Double](), out = [Double](), v = [Int](), z = [Double]()
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      let n = shape[axis], step = strides[axis]
      if n == 0 { continue }
      line = [Double](repeating: 0, count: n)
      out = line
      v = [Int](repeating: 0, count: n)
      z = [Double](repeating: 0, count: n + 1)
      // every line along `axis` starts at an index whose coordinate on `axis` is 0
      for start in 0..<count where (start / step) % n == 0 {
        for i in 0..<n { line[i] = f[start + i * step] }
        transform1D(line, spacing: spacing[axis], into: &out, v: &v, z: &z)
        for i in 0..<n { f[start + i * step] = out[i] }
      }
    }
    return f
  }

  /// Lower envelope of the parabolas (x − x_q)² + f(q) over the finite samples q, evaluated at every position.
  static func transform1D(_ f: [Double], spacing s: Double, into d: inout [Double], v: inout [Int], z: inout [Double]) {
    let n = f.count
    var k = -1
    for q in 0..<n where f[q].isFinite {
      let xq = Double(q) * s
      if k < 0 {
        k = 0; v[0] = q; z[0] = -.infinity; z[1] = .infinity
        continue
      }
      var cross = 0.0
      while true {  // z[0] = −∞, so k never drops below 0
        let xv = Double(v[k]) * s
        cross = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv))
        if cross <= z[k] { k -= 1 } else { break }
      }
      k += 1
      v[k] = q; z[k] = cross; z[k + 1] = .infinity
    }
    if k < 0 {
      for i in 0..<n { d[i] = .infinity }
      return
    }
    var j = 0
    for p in 0..<n {
      let xp = Double(p) * s
      while z[j + 1] < xp { j += 1 }
      let dx = xp - Double(v[j]) * s
      d[p] = dx * dx + f[v[j]]
    }
  }

  /// Brute-force reference, O(elements × features); for tests only.
  public static func naive(toNearest features: [Bool], shape: [Int], spacing: [Double]? = nil) -> [Double] {
    let spacing = spacing ?? [Double](repeating: 1, count: shape.count)
    func coordinates(_ index: Int) -> [Int] {
      var c = [Int](repeating: 0, count: shape.count), r = index
      for a in stride(from: shape.count - 1, through: 0, by: -1) { c[a] = r % shape[a]; r /= shape[a] }
      return c
    }
    let featureCoords = features.indices.filter { features[$0] }.map(coordinates)
    return features.indices.map { i in
      let c = coordinates(i)
      var best = Double.infinity
      for fc in featureCoords {
        var s2 = 0.0
        for a in 0..<shape.count { let dx = Double(c[a] - fc[a]) * spacing[a]; s2 += dx * dx }
        best = min(best, s2)
      }
      return best.squareRoot()
    }
  }
}
