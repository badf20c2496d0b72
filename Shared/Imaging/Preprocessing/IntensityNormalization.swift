// Per-volume intensity preprocessing of method-spec §6: clip at the 99th percentile of the intensity CDF
// (skimage `cumulative_distribution`, as in WSL4MIS `MedicalImageDeal.valid_img`), then min–max to [0, 1].

/// How the source values were typed, which decides the histogram skimage would build.
public enum SourceValueKind: String, Sendable, Codable {
  /// Integer dtype (e.g. raw int16 MRI): one histogram bin per integer between min and max.
  case integer
  /// float32 dtype: 256 equal bins over [min, max]; the CDF is compared in single precision.
  case float32
  /// float64 dtype: 256 equal bins over [min, max].
  case float64
}

/// The clip-then-min–max normalisation used for every imported volume.
public enum IntensityNormalization {
  /// The clip threshold: the first histogram bin centre whose CDF reaches `percent`
  /// (`cdf[1][cdf[0] >= percent][0]` in WSL4MIS). Returns nil for an empty input.
  public static func clipThreshold(_ values: [Float], kind: SourceValueKind, percent: Double = 0.99) -> Double? {
    guard let first = values.first else { return nil }
    var lo = Double(first), hi = Double(first)
    for v in values { let d = Double(v); if d < lo { lo = d }; if d > hi { hi = d } }
    if kind == .integer && hi - lo > Double(1 << 20) { return integerThresholdBySorting(values, percent: percent) }
    let (hist, centers) =
      kind == .integer
      ? integerHistogram(values, lo: lo, hi: hi)
      : floatHistogram(values, lo: lo, hi: hi, bins: 256)
    let total = Double(values.count)
    var cumulative = 0
    for (i, count) in hist.enumerated() {
      cumulative += count
      let reached: Bool
      if kind == .float32 {
        reached = Float(Double(cumulative) / total) >= Float(percent)
      } else {
        reached = Double(cumulative) / total >= percent
      }
      if reached { return centers[i] }
    }
    return centers.last
  }

  /// Clips `values` to [min, threshold] and scales to [0, 1] as float32.
  /// A constant volume (or one whose threshold equals its minimum) maps to all zeros.
  public static func normalize(_ values: [Float], kind: SourceValueKind, percent: Double = 0.99) -> [Float] {
    guard let threshold = clipThreshold(values, kind: kind, percent: percent) else { return [] }
    let lo = Double(values.min()!)
    let range = threshold - lo
    guard range > 0 else { return [Float](repeating: 0, count: values.count) }
    return values.map { v in Float((min(Double(v), threshold) - lo) / range) }
  }

  // MARK: - Histograms (skimage.exposure.histogram)

  /// One bin per integer value in [lo, hi] (skimage `_bincount_histogram`).
  static func integerHistogram(_ values: [Float], lo: Double, hi: Double) -> ([Int], [Double]) {
    let base = Int(lo.rounded()), count = Int(hi.rounded()) - base + 1
    var hist = [Int](repeating: 0, count: count)
    for v in values { hist[Int(Double(v).rounded()) - base] += 1 }
    return (hist, (0..<count).map { Double(base + $0) })
  }

  /// The same threshold as the per-integer histogram without its memory: the CDF only rises at values that
  /// occur, so the answer is the first sorted value whose rank reaches `percent` (used for huge int32 ranges).
  static func integerThresholdBySorting(_ values: [Float], percent: Double) -> Double {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    for k in 0..<sorted.count where Double(k + 1) / n >= percent { return Double(sorted[k]) }
    return Double(sorted[sorted.count - 1])
  }

  /// `np.histogram(values, bins)` over [lo, hi] with numpy's edge corrections; returns counts and bin centres.
  static func floatHistogram(_ values: [Float], lo: Double, hi: Double, bins: Int) -> ([Int], [Double]) {
    var first = lo, last = hi
    if first == last { first -= 0.5; last += 0.5 }
    let step = (last - first) / Double(bins)
    var edges = (0...bins).map { Double($0) * step + first }
    edges[bins] = last
    var hist = [Int](repeating: 0, count: bins)
    let denom = last - first
    for v in values {
      let x = Double(v)
      var i = Int((x - first) / denom * Double(bins))
      if i >= bins { i = bins - 1 }
      if i < 0 { i = 0 }
      if x < edges[i], i > 0 { i -= 1 }
      if i != bins - 1, x >= edges[i + 1] { i += 1 }
      hist[i] += 1
    }
    let centers = (0..<bins).map { (edges[$0] + edges[$0 + 1]) / 2 }
    return (hist, centers)
  }
}
