// What the orchestration needs of the selector: one round's picks.
public protocol SliceSelecting: Sendable {
  /// The slices `request.strategy` picks; at most `request.budget`, none of them already labeled.
  func select(_ request: SelectionRequest) async throws -> [Int64]
}

public struct SelectionRequest: Sendable, Hashable {
  /// A strategy name (`StrategyName.rawValue`), or "random" for a round the plan selects at random.
  public var strategy: String
  public var dataset: Int64
  public var labeled: [Int64]
  public var budget: Int
  public var seed: UInt64
  /// The encoder whose embeddings the strategy reads; 0 = none.
  public var encoder: Int64
  /// The ensemble whose stored predictions the strategy reads; empty = none.
  public var models: [Int64]
  /// The strategy's own parameters from the definition.
  public var parameters: [String: String]

  public init(
    strategy: String, dataset: Int64, labeled: [Int64], budget: Int, seed: UInt64, encoder: Int64 = 0,
    models: [Int64] = [], parameters: [String: String] = [:]
  ) {
    self.strategy = strategy
    self.dataset = dataset
    self.labeled = labeled
    self.budget = budget
    self.seed = seed
    self.encoder = encoder
    self.models = models
    self.parameters = parameters
  }
}
