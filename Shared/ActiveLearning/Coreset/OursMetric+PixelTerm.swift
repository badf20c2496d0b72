// The pixel term of the "ours" distance for a run of candidates, with pruning: candidates are
// swept 16 at a time (one cache line of a pixel column) and a group stops reading columns once
// every one of its 16 partial pixel terms has reached its bound.

extension OursMetric {
  /// Candidates per pruning group: one 64-byte cache line of a pixel column.
  static let group = 16
  /// Groups swept side by side (64 adjacent cache lines, 4 KiB of each column: long enough for
  /// the hardware prefetcher), at most 64. 16 groups per strip ran 1.5–2× slower.
  static let groupsPerStrip = 64
  /// Scribbled pixels summed between two pruning checks of a group.
  static let checkEvery = 8

  /// `out[i]` = the pixel term of candidate `first + i` for the center's scribbled pixels only
  /// (`everywhereWeight == 0`, `scribbledWeight > 0`, `pixelScale > 0`), or, where the term is at
  /// least `bounds[i]`, possibly a smaller partial term that is still at least `bounds[i]`.
  ///
  /// Each candidate sums `(x_q − c_q)²` over the scribbled pixels `q` in ascending order, exactly as
  /// the unpruned loop does, so unpruned values are bit-identical. The adds are of non-negative
  /// terms and rounding is monotone, so a partial sum never exceeds the full one: stopping once
  /// `scale·√(w·partial) ≥ bound` cannot change the caller's minimum.
  func prunedPixelTerms(
    _ center: Center, first: Int, count len: Int, bounds: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>
  ) {
    let n = pixels.slices, m = center.scribbled.count
    let scale = center.pixelScale, weight = center.scribbledWeight
    let full = len / Self.group * Self.group
    pixels.values.withUnsafeBufferPointer { v in
      center.scribbled.withUnsafeBufferPointer { q in
        center.values.withUnsafeBufferPointer { c in
          let base = UnsafeRawPointer(v.baseAddress! + first)
          let acc = UnsafeMutableRawPointer(out), bound = UnsafeRawPointer(bounds)
          var g0 = 0
          while g0 < full {
            let groups = min(Self.groupsPerStrip, (full - g0) / Self.group)
            var alive: UInt64 = groups == 64 ? ~0 : (1 << UInt64(groups)) &- 1
            for b in 0..<groups {
              let offset = (g0 &+ b &* Self.group) &* 4
              acc.storeBytes(of: SIMD16<Float>(), toByteOffset: offset, as: SIMD16<Float>.self)
              // Bounds ≤ 0 (rows the caller skips) are met by the empty sum: read nothing for them.
              if all(bound.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) .<= 0) {
                alive &= ~(1 << UInt64(b))
              }
            }
            var k = 0
            while k < m && alive != 0 {
              let end = min(k &+ Self.checkEvery, m)
              var bits = alive
              while bits != 0 {
                let b = bits.trailingZeroBitCount
                bits &= bits &- 1
                let offset = (g0 &+ b &* Self.group) &* 4
                var sum = acc.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                for j in k..<end {
                  let x = base.loadUnaligned(fromByteOffset: q[j] &* n &* 4 &+ offset, as: SIMD16<Float>.self)
                  let d = x - SIMD16<Float>(repeating: c[j])
                  sum += d * d
                }
                if end < m {
                  // A NaN sum compares false and keeps its group alive (the caller then sees NaN).
                  let term = scale * (weight * sum).squareRoot()
                  if all(term .>= bound.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)) {
                    alive &= ~(1 << UInt64(b))
                    acc.storeBytes(of: term, toByteOffset: offset, as: SIMD16<Float>.self)
                    continue
                  }
                }
                acc.storeBytes(of: sum, toByteOffset: offset, as: SIMD16<Float>.self)
              }
              k = end
            }
            // Groups that read every scribbled pixel hold full sums: turn them into terms.
            var bits = alive
            while bits != 0 {
              let b = bits.trailingZeroBitCount
              bits &= bits &- 1
              let g = g0 &+ b &* Self.group
              for i in g..<(g &+ Self.group) { out[i] = scale * max(out[i] * weight, 0).squareRoot() }
            }
            g0 &+= groups &* Self.group
          }
          // The last len % 16 candidates, unpruned.
          let tail = len &- full
          guard tail > 0 else { return }
          let rest = out + full
          rest.initialize(repeating: 0, count: tail)
          for j in 0..<m {
            accumulateSquaredDifference(rest, v.baseAddress! + (first &+ full &+ q[j] &* n), c[j], tail)
          }
          for i in 0..<tail { rest[i] = scale * max(rest[i] * weight, 0).squareRoot() }
        }
      }
    }
  }
}
