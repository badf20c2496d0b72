// Seeded draws and the epoch sampler (shuffle = True, drop_last = False).

import Randomness
import Segmentation
import Testing

@Suite struct SamplingTests {
  @Test func epochsCoverEverySliceOnceWithASmallLastBatch() {
    var sampler = EpochSampler(count: 8, batchSize: 6)
    var rng = SplitMix64(seed: 1)
    #expect(sampler.batchesPerEpoch == 2)
    var epochs: [[Int]] = []
    for _ in 0..<3 {
      let a = sampler.next(using: &rng), b = sampler.next(using: &rng)
      #expect(a.count == 6 && b.count == 2)
      epochs.append(a + b)
    }
    #expect(sampler.epoch == 3)
    #expect(epochs.allSatisfy { $0.sorted() == Array(0..<8) })
    #expect(Set(epochs.map { $0 }).count == 3, "each epoch reshuffles")
    var few = EpochSampler(count: 2, batchSize: 6)
    #expect(few.next(using: &rng).sorted() == [0, 1] && few.next(using: &rng).count == 2 && few.epoch == 2)
  }

  @Test func drawsAreUniformAndSeeded() {
    var rng = SplitMix64(seed: 2)
    var counts = [Int](repeating: 0, count: 5)
    for _ in 0..<5000 { counts[RandomDraws.index(below: 5, using: &rng)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 1000) < 120 })
    let units = (0..<1000).map { _ in RandomDraws.unit(using: &rng) }
    #expect(units.allSatisfy { $0 >= 0 && $0 < 1 } && abs(units.reduce(0, +) / 1000 - 0.5) < 0.05)
    var a = SplitMix64(seed: 3), b = SplitMix64(seed: 3)
    #expect(RandomDraws.permutation(50, using: &a) == RandomDraws.permutation(50, using: &b))
    #expect(RandomDraws.permutation(50, using: &a).sorted() == Array(0..<50))
  }
}
