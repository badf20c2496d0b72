// Batches as PyTorch's DataLoader(shuffle=True, drop_last=False) makes them: each epoch is a fresh seeded
// permutation of all slices cut into batches of `batchSize`, the last one smaller when the count does not divide.

/// Endless sequence of batches of slice indices, epoch after epoch.
public struct EpochSampler: Sendable {
  public let count: Int
  public let batchSize: Int
  private var order: [Int] = []
  private var cursor = 0
  /// Epochs started so far.
  public private(set) var epoch = 0

  public init(count: Int, batchSize: Int) {
    precondition(count > 0 && batchSize > 0, "EpochSampler needs count and batchSize > 0, got \(count), \(batchSize)")
    self.count = count
    self.batchSize = batchSize
  }

  /// Batches per epoch (`len(loader)` upstream).
  public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }

  /// The next batch; starts a new epoch (a new permutation from `rng`) when the current one is used up.
  public mutating func next(using rng: inout some RandomNumberGenerator) -> [Int] {
    if cursor >= order.count {
      order = RandomDraws.permutation(count, using: &rng)
      cursor = 0
      epoch += 1
    }
    let batch = Array(order[cursor..<min(cursor + batchSize, count)])
    cursor += batchSize
    return batch
  }
}
