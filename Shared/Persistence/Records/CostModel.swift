// How much annotator time a revealed label is charged.

/// Seconds per slice for each annotation kind (default: full mask 200 s, scribble 15× faster).
public struct CostModel: Sendable, Equatable {
  /// Seconds to draw a full mask of one slice.
  public var fullSecondsPerSlice: Double
  /// How many times faster a scribble is than a full mask.
  public var scribbleSpeedup: Double

  public init(fullSecondsPerSlice: Double = 200, scribbleSpeedup: Double = 15) {
    precondition(
      fullSecondsPerSlice >= 0 && scribbleSpeedup > 0,
      "CostModel needs fullSecondsPerSlice >= 0 and scribbleSpeedup > 0")
    self.fullSecondsPerSlice = fullSecondsPerSlice
    self.scribbleSpeedup = scribbleSpeedup
  }

  /// Seconds charged for one slice of the given kind.
  public func seconds(for kind: AnnotationKind) -> Double {
    switch kind {
    case .full: fullSecondsPerSlice
    case .scribble: fullSecondsPerSlice / scribbleSpeedup
    }
  }
}
