// Class counts, fractions and scribble coverage on small hand-made masks.

import Testing
@testable import Imaging
import Randomness

@Suite struct LabelStatisticsTests {
  @Test func countsAndFractions() {
    let labels: [UInt8] = [0, 0, 1, 2, 3, 3, 3, 4]
    #expect(LabelStatistics.counts(labels, classCount: 4) == [2, 1, 1, 3])
    let f = LabelStatistics.fractions(labels, classCount: 4)
    #expect(abs(f[3] - 3.0 / 8) < 1e-12)
    #expect(abs(f.reduce(0, +) - 7.0 / 8) < 1e-12)
    #expect(abs(LabelStatistics.annotatedFraction(labels) - 7.0 / 8) < 1e-12)
    #expect(LabelStatistics.maxLabel(labels) == 4)
    #expect(LabelStatistics.fractions([UInt8](), classCount: 2) == [0, 0])
  }

  @Test func splitMixIsDeterministicAndDerivesDistinctStreams() {
    var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
    #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
    #expect(SplitMix64.derive(1, 2, 3) != SplitMix64.derive(1, 3, 2))
    #expect(SplitMix64.derive(1, 2) == SplitMix64.derive(1, 2))
    var g = SplitMix64(seed: 3)
    let u = (0..<1000).map { _ in g.uniform(2, 5) }
    #expect(u.allSatisfy { $0 >= 2 && $0 < 5 })
    let n = (0..<4000).map { _ in g.normal() }
    let mean = n.reduce(0, +) / 4000
    #expect(abs(mean) < 0.1)
  }
}
