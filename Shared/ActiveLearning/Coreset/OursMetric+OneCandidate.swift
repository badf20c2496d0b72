// The "ours" distance for one candidate, as lazy k-center greedy needs it: the center's scribbled
// pixels gathered from the candidate's column positions, stopping as soon as the bound is reached.

extension OursMetric {
  /// Scribbled pixels gathered between two bound checks (each gather is a cache miss; a check is not).
  static let gathersPerCheck = 4

  /// `d(candidate, center)`, bit-identical to what `distances` writes for it: the same ascending
  /// sum over the scribbled pixels and the same embedding blocks. Returns early (a value ≥ `bound`)
  /// once the partial pixel term or the partial total reaches `bound`.
  public func distance(_ candidate: Int, to center: Center, bound: Float) -> Float {
    guard center.everywhereWeight == 0 && center.scribbledWeight > 0 && center.pixelScale > 0 else {
      return distanceThroughBatch(candidate, to: center, bound: bound)  // other weights: the batch path
    }
    let n = pixels.slices, m = center.scribbled.count
    let scale = center.pixelScale, weight = center.scribbledWeight
    let pixelTerm: Float = pixels.values.withUnsafeBufferPointer { v in
      center.scribbled.withUnsafeBufferPointer { q in
        center.values.withUnsafeBufferPointer { c in
          let x = v.baseAddress! + candidate
          var sum: Float = 0
          var j = 0
          while j < m {
            let end = min(j &+ Self.gathersPerCheck, m)
            while j < end {
              let d = x[q[j] &* n] - c[j]
              sum += d * d
              j &+= 1
            }
            if j < m {
              let term = scale * (weight * sum).squareRoot()
              if term >= bound { return term }
            }
          }
          return scale * max(sum * weight, 0).squareRoot()
        }
      }
    }
    let d = embeddings.columns
    guard pixelTerm < bound, d > 0, embeddingWeight != 0 else { return pixelTerm }
    return embeddings.values.withUnsafeBufferPointer { e in
      embeddingDistance(
        e.baseAddress! + candidate * d, e.baseAddress! + center.index * d, pixelTerm: pixelTerm, bound: bound)
    }
  }
}
