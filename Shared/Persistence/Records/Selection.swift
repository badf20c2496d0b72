// One ranked pick of a round's selection.

/// A slice selected in a round, with its rank (0 = first) and the strategy's score.
public struct Selection: Sendable, Equatable {
  public var rank: Int
  public var sliceId: Int64
  public var score: Double

  public init(rank: Int, sliceId: Int64, score: Double) {
    self.rank = rank
    self.sliceId = sliceId
    self.score = score
  }
}
