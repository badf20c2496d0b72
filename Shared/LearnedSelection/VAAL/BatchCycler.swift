// An endless loader over a set of pool rows, like PyTorch's DataLoader with a SubsetRandomSampler
// cycled forever: every epoch is a fresh seeded permutation cut into batches, the last one short.

import ActiveLearning

/// Endless seeded batches over `rows`.
struct BatchCycler {
  let rows: [Int]
  let batchSize: Int
  private var order: [Int] = []
  private var position = 0

  init(rows: [Int], batchSize: Int) {
    precondition(!rows.isEmpty && batchSize > 0, "BatchCycler needs rows and a positive batch size")
    self.rows = rows
    self.batchSize = batchSize
  }

  /// The next batch; reshuffles when an epoch is used up.
  mutating func next(using rng: inout some RandomNumberGenerator) -> [Int] {
    if position >= order.count {
      order = rows
      Shuffle.fisherYates(&order, using: &rng)
      position = 0
    }
    let end = min(position + batchSize, order.count)
    defer { position = end }
    return Array(order[position..<end])
  }
}
