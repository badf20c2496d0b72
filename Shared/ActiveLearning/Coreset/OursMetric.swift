// The asymmetric "ours" distance of spec §4.2: pixel differences masked by the center's
// scribbles (normalised and weighted) plus the weighted embedding distance. The fused feature
// row is never built: a center is reduced to its scribbled pixels, and candidates are swept
// pixel-major (`PixelColumns`) so each scribbled pixel is one contiguous SIMD stream.

/// `d(x, c)` of the "ours" Coreset; keeps (candidate, center) order.
///
/// With the fixed pixel term (default) a center without scribbles is masked by `unannotatedMask`, a
/// lattice of about the mean annotated scribble size, and `pos_wt` follows the slice area
/// (`OursDistanceConfiguration`). With `faithfulPixelTerm` an empty center mask (or all-zero weights)
/// makes the pixel term 0 instead of numpy's inf/NaN.
public struct OursMetric: CoresetMetric {
  /// A prepared center: its row, its scribbled pixels and their values, and the pixel-term scale.
  public struct Center: Sendable {
    let index: Int
    /// Scribbled pixel indices, ascending.
    let scribbled: [Int]
    /// The center's intensity at each scribbled pixel.
    let values: [Float]
    /// Multiplies Σ over scribbled pixels of diff² inside the square root (`label_wt − default_pos_val`).
    let scribbledWeight: Float
    /// Multiplies Σ over all pixels of diff² inside the square root (`default_pos_val`).
    let everywhereWeight: Float
    /// `pixelWeight / nnz(mask)` (or `pixelWeight`), 0 when the mask is empty.
    let pixelScale: Float
  }

  /// Image intensities, pixel-major.
  public let pixels: PixelColumns
  /// Embeddings `(slices, dims)`.
  public let embeddings: FeatureMatrix
  /// Scribble label maps `(slices, pixels)`.
  public let scribbles: ScribbleMasks
  /// The weights.
  public let configuration: OursDistanceConfiguration
  /// The resolved embedding factor (√12 at 256², 512-d).
  public let embeddingWeight: Float
  /// The resolved `pos_wt` (`configuration.resolvedPixelWeight`; 1500 at 256², 512-d).
  public let pixelWeight: Float
  /// The mask of centers without scribbles (fixed term only; empty when faithful): `lattice` of the mean
  /// scribble size of the annotated slices, or of `expectedScribblePixels` when none is annotated.
  public let unannotatedMask: [Int]

  /// A metric over pixel-major intensities (no copy).
  public init(
    pixels: PixelColumns, embeddings: FeatureMatrix, scribbles: ScribbleMasks,
    configuration: OursDistanceConfiguration = .init()
  ) {
    precondition(
      pixels.slices == embeddings.rows && pixels.slices == scribbles.slices,
      "OursMetric needs one row per slice in pixels (\(pixels.slices)), embeddings (\(embeddings.rows)) and scribbles (\(scribbles.slices))"
    )
    precondition(
      pixels.pixels == scribbles.pixels,
      "OursMetric pixel rows have \(pixels.pixels) values but scribble masks \(scribbles.pixels)")
    self.pixels = pixels
    self.embeddings = embeddings
    self.scribbles = scribbles
    self.configuration = configuration
    self.embeddingWeight = configuration.resolvedEmbeddingWeight(pixels: pixels.pixels, dims: embeddings.columns)
    self.pixelWeight = configuration.resolvedPixelWeight(pixels: pixels.pixels, dims: embeddings.columns)
    if configuration.faithfulPixelTerm {
      self.unannotatedMask = []
    } else {
      let size =
        scribbles.meanScribbleSize().map { Int($0.rounded()) }
        ?? OursDistanceConfiguration.expectedScribblePixels(pixels: pixels.pixels)
      self.unannotatedMask = Self.lattice(count: size, pixels: pixels.pixels)
    }
  }

  /// `count` pixel indices (fewer if two coincide) of a `pixels`-pixel slice, ascending: the golden-ratio
  /// (Kronecker) sequence `⌊frac(½ + i·φ⁻¹)·pixels⌋`. It spreads evenly over the rows and, since `φ⁻¹·height`
  /// is irrational, over the columns too, without knowing the width; the RMS difference over it estimates
  /// the RMS over the whole slice (relative error about `1/√count`).
  public static func lattice(count: Int, pixels: Int) -> [Int] {
    let m = min(max(count, 1), pixels), step = (5.0.squareRoot() - 1) / 2
    var seen = [Bool](repeating: false, count: pixels)
    for i in 0..<m {
      let u = 0.5 + Double(i) * step
      seen[min(Int((u - u.rounded(.down)) * Double(pixels)), pixels - 1)] = true
    }
    return seen.indices.filter { seen[$0] }
  }

  /// The pixels masking center `index`: its scribbled pixels, or `unannotatedMask` when it has none.
  func centerMask(_ index: Int) -> [Int] {
    let p = pixels.pixels
    var scribbled: [Int] = []
    for q in 0..<p where scribbles.labels[index * p + q] != scribbles.unannotated { scribbled.append(q) }
    return scribbled.isEmpty ? unannotatedMask : scribbled
  }

  /// A metric over row-major intensities; transposes them once (a second copy of the pixels).
  public init(
    pixels: FeatureMatrix, embeddings: FeatureMatrix, scribbles: ScribbleMasks,
    configuration: OursDistanceConfiguration = .init()
  ) {
    self.init(
      pixels: PixelColumns(transposing: pixels), embeddings: embeddings, scribbles: scribbles,
      configuration: configuration)
  }

  public var count: Int { pixels.slices }

  public var costPerDistance: Int {
    3 * embeddings.columns + (configuration.defaultWeight != 0 ? 3 * pixels.pixels : pixels.pixels / 16)
  }

  public func prepareCenter(_ index: Int) -> Center {
    let p = pixels.pixels
    let scribbled = centerMask(index)
    let c = configuration
    let nonzero = (c.labelWeight != 0 ? scribbled.count : 0) + (c.defaultWeight != 0 ? p - scribbled.count : 0)
    var scale: Float = 0
    if nonzero > 0 {
      scale = c.normalizeByLabelCount ? pixelWeight / Float(nonzero) : pixelWeight
    }
    return Center(
      index: index, scribbled: scribbled, values: scribbled.map { pixels[slice: index, pixel: $0] },
      scribbledWeight: c.labelWeight - c.defaultWeight, everywhereWeight: c.defaultWeight,
      pixelScale: scale)
  }

  public func distance(_ candidate: Int, to center: Center) -> Float {
    distanceThroughBatch(candidate, to: center, bound: .infinity)
  }

  /// Embedding dimensions summed between early-exit checks.
  static let embeddingBlock = 64

  /// Pixel terms for the whole chunk first (`prunedPixelTerms`: 16 candidates per cache line of
  /// each scribbled pixel's column, a group stops once all 16 terms reach their bounds); then per
  /// candidate the embedding sum in blocks of `embeddingBlock` dims, stopping once the distance
  /// reaches `bounds[i]` (partial sums only grow, so the stop never changes the caller's minimum).
  public func distances(
    to center: Center, candidates: Range<Int>, bounds: UnsafeBufferPointer<Float>,
    into out: UnsafeMutableBufferPointer<Float>
  ) {
    let len = candidates.count, n = pixels.slices, first = candidates.lowerBound
    guard len > 0 else { return }
    let acc = out.baseAddress!
    acc.initialize(repeating: 0, count: len)
    if center.everywhereWeight == 0 && center.scribbledWeight > 0 && center.pixelScale > 0 {
      prunedPixelTerms(center, first: first, count: len, bounds: bounds.baseAddress!, into: acc)
    } else if center.pixelScale != 0 {
      pixels.values.withUnsafeBufferPointer { v in
        let base = v.baseAddress! + first
        if center.scribbledWeight != 0 {
          for (q, value) in zip(center.scribbled, center.values) {
            accumulateSquaredDifference(acc, base + q * n, value, len)
          }
          if center.scribbledWeight != 1 { for i in 0..<len { acc[i] *= center.scribbledWeight } }
        }
        if center.everywhereWeight != 0 {
          withUnsafeTemporaryAllocation(of: Float.self, capacity: len) { all in
            let a = all.baseAddress!
            a.initialize(repeating: 0, count: len)
            for q in 0..<pixels.pixels { accumulateSquaredDifference(a, base + q * n, v[q * n + center.index], len) }
            for i in 0..<len { acc[i] += center.everywhereWeight * a[i] }
          }
        }
      }
      for i in 0..<len { acc[i] = center.pixelScale * max(acc[i], 0).squareRoot() }
    }
    let d = embeddings.columns
    guard d > 0, embeddingWeight != 0 else { return }
    embeddings.values.withUnsafeBufferPointer { e in
      let c = e.baseAddress! + center.index * d
      for i in 0..<len {
        let bound = bounds[i], pixelTerm = acc[i]
        if pixelTerm >= bound { continue }
        acc[i] = embeddingDistance(e.baseAddress! + (first + i) * d, c, pixelTerm: pixelTerm, bound: bound)
      }
    }
  }

  /// `pixelTerm + embeddingWeight·‖x − c‖₂` over `embeddings.columns` dims, summed in blocks of
  /// `embeddingBlock` and stopped once the total reaches `bound` (partial sums only grow).
  @inline(__always)
  func embeddingDistance(_ x: UnsafePointer<Float>, _ c: UnsafePointer<Float>, pixelTerm: Float, bound: Float) -> Float
  {
    let d = embeddings.columns, w = embeddingWeight, block = Self.embeddingBlock
    var sum: Float = 0
    var j = 0
    while j < d {
      let m = min(block, d &- j)
      sum += sumSquaredDifference(x + j, c + j, m)
      j &+= m
      if j < d && pixelTerm + w * sum.squareRoot() >= bound { break }
    }
    return pixelTerm + w * sum.squareRoot()
  }

  public func referenceDistance(_ candidate: Int, to center: Int) -> Float {
    let c = configuration
    // labmask_c over every pixel, exactly as the fused row would carry it; a center without scribbles
    // takes the lattice under the fixed term.
    var marked = [Bool](repeating: false, count: pixels.pixels)
    for p in 0..<pixels.pixels where scribbles.isScribbled(slice: center, pixel: p) { marked[p] = true }
    if !marked.contains(true) { for p in unannotatedMask { marked[p] = true } }
    var pos: Float = 0
    var nonzero = 0
    for p in 0..<pixels.pixels {
      let mask = marked[p] ? c.labelWeight : c.defaultWeight
      if mask != 0 { nonzero += 1 }
      let diff = pixels[slice: candidate, pixel: p] - pixels[slice: center, pixel: p]
      pos += mask * diff * diff
    }
    var pixelTerm: Float = 0
    if nonzero > 0 {
      pixelTerm = max(pos, 0).squareRoot()
      if c.normalizeByLabelCount { pixelTerm /= Float(nonzero) }
      pixelTerm *= pixelWeight
    }
    var emb: Float = 0
    for (a, b) in zip(embeddings.row(candidate), embeddings.row(center)) { emb += (a - b) * (a - b) }
    return pixelTerm + embeddingWeight * emb.squareRoot()
  }
}
