// MedPy 0.4.0 binary metrics on n-D masks: dc (Dice), the object surface (object minus its erosion by the
// face-connected structure, outside = background) and hd95 (95th percentile of pooled surface distances).

/// Dice and HD95 of two binary masks, as `medpy.metric.binary.dc` and `hd95` compute them.
public enum BinaryMetrics {
  /// 2|P∩G| / (|P| + |G|); 0 when both are empty (medpy's ZeroDivision fallback).
  public static func dice(_ p: [Bool], _ g: [Bool]) -> Double {
    precondition(p.count == g.count, "dice: masks differ in size (\(p.count) vs \(g.count))")
    var inter = 0, sp = 0, sg = 0
    for i in 0..<p.count {
      if p[i] { sp += 1; if g[i] { inter += 1 } }
      if g[i] { sg += 1 }
    }
    return sp + sg == 0 ? 0 : 2 * Double(inter) / Double(sp + sg)
  }

  /// The border of the objects: `m ^ binary_erosion(m, generate_binary_structure(rank, 1))`. An element stays
  /// interior only if all its face neighbours are inside the grid and set.
  public static func surface(_ m: [Bool], shape: [Int]) -> [Bool] {
    let count = shape.reduce(1, *)
    precondition(m.count == count, "surface: \(m.count) values for shape \(shape)")
    var strides = [Int](repeating: 1, count: shape.count)
    for a in stride(from: shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * shape[a + 1] }
    var out = [Bool](repeating: false, count: count)
    for i in 0..<count where m[i] {
      var interior = true
      for a in 0..<shape.count {
        let c = (i / strides[a]) % shape[a]
        if c == 0 || c == shape[a] - 1 || !m[i - strides[a]] || !m[i + strides[a]] { interior = false; break }
      }
      out[i] = !interior
    }
    return out
  }

  /// Distances from every surface element of `from` to the nearest surface element of `to`
  /// (medpy `__surface_distances(from, to)`). Both masks must be non-empty.
  public static func surfaceDistances(from a: [Bool], to b: [Bool], shape: [Int], spacing: [Double]? = nil) -> [Double]
  {
    let sa = surface(a, shape: shape), sb = surface(b, shape: shape)
    let dt = EuclideanDistanceTransform.distances(toNearest: sb, shape: shape, spacing: spacing)
    return sa.indices.filter { sa[$0] }.map { dt[$0] }
  }

  /// 95th percentile (numpy linear interpolation) of the surface distances in both directions, pooled.
  /// Both masks must be non-empty (medpy raises otherwise).
  public static func hd95(_ p: [Bool], _ g: [Bool], shape: [Int], spacing: [Double]? = nil) -> Double {
    precondition(p.contains(true) && g.contains(true), "hd95 needs two non-empty masks")
    let sp = surface(p, shape: shape), sg = surface(g, shape: shape)
    let toG = EuclideanDistanceTransform.distances(toNearest: sg, shape: shape, spacing: spacing)
    let toP = EuclideanDistanceTransform.distances(toNearest: sp, shape: shape, spacing: spacing)
    var pooled: [Double] = []
    for i in 0..<sp.count where sp[i] { pooled.append(toG[i]) }
    for i in 0..<sg.count where sg[i] { pooled.append(toP[i]) }
    return percentile(pooled, 95)
  }

  /// `numpy.percentile(values, q)` with the default linear method.
  public static func percentile(_ values: [Double], _ q: Double) -> Double {
    precondition(!values.isEmpty, "percentile of no values")
    let a = values.sorted()
    let h = Double(a.count - 1) * q / 100
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, a.count - 1)
    let t = h - Double(lo)
    return t >= 0.5 ? a[hi] - (a[hi] - a[lo]) * (1 - t) : a[lo] + (a[hi] - a[lo]) * t
  }
}
