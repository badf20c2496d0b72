// One entry of a strategy's answer: a slice id and its score, best first.

/// One selected slice: its id and its score (higher = selected earlier / more informative).
public struct RankedSlice: Sendable, Equatable {
  /// The slice id from `SelectionPool.sliceIDs`.
  public var id: Int
  /// The strategy's score; geometry strategies use `budget − rank` (spec §1.5).
  public var score: Double

  public init(id: Int, score: Double) {
    self.id = id
    self.score = score
  }
}
