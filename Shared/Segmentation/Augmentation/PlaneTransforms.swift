// Geometric transforms of 2D planes used by the training augmentation (method spec §2.2):
// numpy's rot90 and flip, and scipy.ndimage.rotate(order=0, reshape=False, mode="constant").

#if canImport(Glibc)
  import Glibc
#endif

/// Rotations and flips of `Plane`s, matching numpy/scipy index for index.
public enum PlaneTransforms {
  /// `np.rot90(m, k)` on axes (0, 1): k quarter turns counter-clockwise; odd k swaps height and width.
  public static func rot90<T>(_ m: Plane<T>, _ k: Int) -> Plane<T> {
    let k = ((k % 4) + 4) % 4
    let (h, w) = (m.height, m.width)
    switch k {
    case 0: return m
    case 2: return Plane(height: h, width: w, values: Array(m.values.reversed()))
    default:
      var out: [T] = []
      out.reserveCapacity(h * w)
      for i in 0..<w {  // output row i of a (w, h) plane
        for j in 0..<h { out.append(k == 1 ? m[j, w - 1 - i] : m[h - 1 - j, i]) }
      }
      return Plane(height: w, width: h, values: out)
    }
  }

  /// `np.flip(m, axis)`: axis 0 reverses the rows, axis 1 the columns.
  public static func flip<T>(_ m: Plane<T>, axis: Int) -> Plane<T> {
    precondition(axis == 0 || axis == 1, "flip axis must be 0 or 1, got \(axis)")
    var out: [T] = []
    out.reserveCapacity(m.values.count)
    for y in 0..<m.height {
      let row = axis == 0 ? m.height - 1 - y : y
      for x in 0..<m.width { out.append(m[row, axis == 1 ? m.width - 1 - x : x]) }
    }
    return Plane(height: m.height, width: m.width, values: out)
  }

  /// `scipy.ndimage.rotate(m, degrees, order=0, reshape=False, mode="constant", cval=fill)`.
  /// Output pixel (i, j) reads input (r, q) = R·(i, j) + offset with R = [[c, s], [−s, c]] and the offset that
  /// keeps the centre fixed; (r, q) outside [0, H−1]×[0, W−1] gives `fill`, otherwise the nearest pixel
  /// (floor(r + 0.5), floor(q + 0.5)).
  public static func rotate<T>(_ m: Plane<T>, degrees: Int, fill: T) -> Plane<T> {
    let (c, s) = cosSinDegrees(degrees)
    let (h, w) = (m.height, m.width)
    let cy = Double(h - 1) / 2, cx = Double(w - 1) / 2
    let offY = cy - (c * cy + s * cx), offX = cx - (-s * cy + c * cx)
    let maxY = Double(h - 1), maxX = Double(w - 1)
    var out: [T] = []
    out.reserveCapacity(h * w)
    for i in 0..<h {
      let fi = Double(i)
      for j in 0..<w {
        let fj = Double(j)
        let r = c * fi + s * fj + offY
        let q = -s * fi + c * fj + offX
        if r >= 0 && r <= maxY && q >= 0 && q <= maxX {
          let ri = min(Int((r + 0.5).rounded(.down)), h - 1), qi = min(Int((q + 0.5).rounded(.down)), w - 1)
          out.append(m[ri, qi])
        } else {
          out.append(fill)
        }
      }
    }
    return Plane(height: h, width: w, values: out)
  }

  /// cos and sin of an integer angle in degrees, exact at multiples of 90° (as scipy's cosdg/sindg).
  static func cosSinDegrees(_ degrees: Int) -> (Double, Double) {
    let d = ((degrees % 360) + 360) % 360
    switch d {
    case 0: return (1, 0)
    case 90: return (0, 1)
    case 180: return (-1, 0)
    case 270: return (0, -1)
    default:
      let rad = Double(degrees) * Double.pi / 180
      return (cos(rad), sin(rad))
    }
  }
}
