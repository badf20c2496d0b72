// Clip + min–max preprocessing against scikit-image / numpy reference values (Fixtures/preprocessing.json).

import Testing
@testable import Imaging
import Randomness

@Suite struct IntensityNormalizationTests {
  static let cases = (try? FixtureData.load("preprocessing.json", as: [FixtureData.Preprocessing].self)) ?? []

  @Test func fixturesLoaded() { #expect(Self.cases.count == 4) }

  @Test(arguments: cases.map(\.name))
  func matchesSkimageCumulativeDistribution(name: String) throws {
    let c = try #require(Self.cases.first { $0.name == name })
    let kind = try #require(SourceValueKind(rawValue: c.kind))
    // values: (z, y, x) volume of c.shape
    let values = c.values.map(Float.init)
    let threshold = try #require(IntensityNormalization.clipThreshold(values, kind: kind))
    #expect(abs(threshold - c.threshold) <= 1e-4 * max(1, abs(c.threshold)), "threshold \(threshold) vs \(c.threshold)")
    let normalized = IntensityNormalization.normalize(values, kind: kind)
    #expect(normalized.count == c.normalized.count)
    let worst = zip(normalized, c.normalized).map { abs(Double($0) - $1) }.max() ?? 0
    #expect(worst < 1e-5, "max abs difference \(worst)")
  }

  @Test func outliersAreClippedToOne() {
    // 200 values 0..<200 and one huge outlier: the outlier must not compress the range.
    var values = (0..<200).map(Float.init)
    values.append(1e6)
    let out = IntensityNormalization.normalize(values, kind: .integer)
    #expect(out.last == 1)
    #expect(out[100] > 0.45 && out[100] < 0.55)
    #expect(out.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func constantAndEmptyVolumes() {
    #expect(
      IntensityNormalization.normalize([Float](repeating: 7, count: 10), kind: .integer)
        == [Float](repeating: 0, count: 10))
    #expect(IntensityNormalization.clipThreshold([], kind: .float32) == nil)
    #expect(IntensityNormalization.normalize([], kind: .float64).isEmpty)
  }
}

@Suite struct IntegerThresholdTests {
  @Test func sortingFallbackAgreesWithTheHistogram() {
    var rng = SplitMix64(seed: 8)
    for _ in 0..<5 {
      let values = (0..<997).map { _ in Float(Int(rng.uniform(-300, 900))) }
      let lo = Double(values.min()!), hi = Double(values.max()!)
      let (hist, centers) = IntensityNormalization.integerHistogram(values, lo: lo, hi: hi)
      var cumulative = 0
      var expected = centers.last!
      for (i, c) in hist.enumerated() {
        cumulative += c
        if Double(cumulative) / Double(values.count) >= 0.99 { expected = centers[i]; break }
      }
      #expect(IntensityNormalization.integerThresholdBySorting(values, percent: 0.99) == expected)
    }
    // A huge int32 range takes the sorting path: 0...98 and one value of 2e9.
    let wide = (0..<99).map(Float.init) + [2e9]
    #expect(IntensityNormalization.clipThreshold(wide, kind: .integer) == 98)
  }
}
