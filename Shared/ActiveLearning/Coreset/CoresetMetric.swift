// The distance a k-center greedy run measures, d(candidate, center). Kept asymmetric on
// purpose: "ours" masks pixels by the *center's* scribbles (spec §4.2).

/// A distance over the pool's rows, evaluated as `d(candidate, center)`.
/// `prepareCenter` precomputes what the center contributes (e.g. its scribbled pixels), so one
/// new center costs at most one linear pass over the candidates and no N×N matrix is ever built;
/// lazy k-center greedy also asks for single distances (`distance(_:to:bound:)`).
public protocol CoresetMetric: Sendable {
  /// Precomputed per-center data.
  associatedtype Center: Sendable

  /// Number of pool rows the metric covers.
  var count: Int { get }

  /// Precomputes center `index`.
  func prepareCenter(_ index: Int) -> Center

  /// The fast distance `d(candidate, center)`; NaN is allowed and handled by the caller.
  func distance(_ candidate: Int, to center: Center) -> Float

  /// `out[i] = d(candidates.lowerBound + i, center)`, except that where the distance is at least
  /// `bounds[i]` any value ≥ `bounds[i]` may be written (the caller only keeps values below its
  /// current minimum, so a metric may stop early). Metrics override it when a batch is faster.
  func distances(
    to center: Center, candidates: Range<Int>, bounds: UnsafeBufferPointer<Float>,
    into out: UnsafeMutableBufferPointer<Float>)

  /// `d(candidate, center)` for one candidate, bit-identical to what `distances` writes for it,
  /// except that where the distance is at least `bound` any value ≥ `bound` may be returned.
  /// Lazy k-center greedy calls it to bring single candidates up to date.
  func distance(_ candidate: Int, to center: Center, bound: Float) -> Float

  /// The literal spec formula, one scalar loop over every feature (the reference for tests).
  func referenceDistance(_ candidate: Int, to center: Int) -> Float

  /// Scalar operations per distance evaluation (to size parallel chunks).
  var costPerDistance: Int { get }
}

extension CoresetMetric {
  public func distances(
    to center: Center, candidates: Range<Int>, bounds: UnsafeBufferPointer<Float>,
    into out: UnsafeMutableBufferPointer<Float>
  ) {
    for (i, x) in candidates.enumerated() { out[i] = distance(x, to: center) }
  }

  public func distance(_ candidate: Int, to center: Center, bound: Float) -> Float {
    distanceThroughBatch(candidate, to: center, bound: bound)
  }

  /// `distances` on the one-candidate range `candidate..<candidate + 1`.
  func distanceThroughBatch(_ candidate: Int, to center: Center, bound: Float) -> Float {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2) { buffer in
      buffer[1] = bound
      distances(
        to: center, candidates: candidate..<(candidate + 1),
        bounds: UnsafeBufferPointer(rebasing: buffer[1..<2]), into: UnsafeMutableBufferPointer(rebasing: buffer[0..<1]))
      return buffer[0]
    }
  }
}
