// The published "ours" distance of spec §4.2 (`faithfulPixelTerm`) on hand-computed cases (asymmetry,
// empty scribble, weights) and against the NumPy/sklearn fused-row metric and k-center picks in
// Fixtures/ours.json. The fixed pixel term is tested in OursPixelTermTests.

import Testing
@testable import ActiveLearning
import Randomness

@Suite struct OursMetricTests {
  // Two slices, 4 pixels, 2-d embeddings.
  // x: pixels [1,2,3,4], embedding [3,4]; scribble [4,4,2,4] -> S_x = {2}
  // c: pixels [1,0,0,4], embedding [0,0]; scribble [0,1,4,4] -> S_c = {0,1}
  static let pixels = FeatureMatrix(rows: 3, columns: 4, values: [1, 2, 3, 4, 1, 0, 0, 4, 9, 9, 9, 9])
  static let embeddings = FeatureMatrix(rows: 3, columns: 2, values: [3, 4, 0, 0, 3, 4])
  static let scribbles = ScribbleMasks(slices: 3, pixels: 4, labels: [4, 4, 2, 4, 0, 1, 4, 4, 4, 4, 4, 4])

  func metric(_ configuration: OursDistanceConfiguration) -> OursMetric {
    OursMetric(
      pixels: Self.pixels, embeddings: Self.embeddings, scribbles: Self.scribbles, configuration: configuration)
  }

  @Test func handComputedAndAsymmetric() {
    let m = metric(OursDistanceConfiguration(pixelWeight: 10, embeddingWeight: 2, faithfulPixelTerm: true))
    // d(x,c): sqrt(0² + 2²) / |S_c|=2 * 10 = 10, plus 2·‖(3,4)‖ = 10 -> 20
    #expect(isClose(Double(m.distance(0, to: m.prepareCenter(1))), 20))
    #expect(isClose(Double(m.referenceDistance(0, to: 1)), 20))
    // d(c,x): sqrt((0−3)²) / |S_x|=1 * 10 = 30, plus 10 -> 40
    #expect(isClose(Double(m.distance(1, to: m.prepareCenter(0))), 40))
    #expect(isClose(Double(m.referenceDistance(1, to: 0)), 40))
    #expect(m.distance(0, to: m.prepareCenter(0)) == 0 || abs(m.distance(0, to: m.prepareCenter(0))) < 1e-6)
  }

  @Test func emptyScribbleCenterHasNoPixelTerm() {
    let m = metric(OursDistanceConfiguration(pixelWeight: 10, embeddingWeight: 2, faithfulPixelTerm: true))
    // Center 2 has no scribble: pixel term 0 (not inf/NaN); embedding term 2·‖(3,4)−(0,0)‖ = 10, 0 to itself.
    #expect(isClose(Double(m.distance(1, to: m.prepareCenter(2))), 10))
    #expect(isClose(Double(m.referenceDistance(1, to: 2)), 10))
    #expect(abs(m.distance(0, to: m.prepareCenter(2))) < 1e-6)
    #expect(!m.distance(1, to: m.prepareCenter(2)).isNaN)
  }

  @Test func labelAndDefaultWeights() {
    // mask_c = [2, 2, 0.5, 0.5]; Σ mask·diff² = 2·0 + 2·4 + 0.5·9 + 0.5·0 = 12.5; nnz = 4.
    let m = metric(
      OursDistanceConfiguration(
        pixelWeight: 10, labelWeight: 2, defaultWeight: 0.5, embeddingWeight: 2,
        faithfulPixelTerm: true))
    let expected = 12.5.squareRoot() / 4 * 10 + 10
    #expect(isClose(Double(m.distance(0, to: m.prepareCenter(1))), expected))
    #expect(isClose(Double(m.referenceDistance(0, to: 1)), expected))
    // Without normalisation: sqrt(12.5)·10 + 10.
    let raw = metric(
      OursDistanceConfiguration(
        pixelWeight: 10, labelWeight: 2, defaultWeight: 0.5,
        normalizeByLabelCount: false, embeddingWeight: 2, faithfulPixelTerm: true))
    #expect(isClose(Double(raw.distance(0, to: raw.prepareCenter(1))), 12.5.squareRoot() * 10 + 10))
  }

  @Test func embeddingWeightFollowsTheFusionRule() {
    let c = OursDistanceConfiguration()
    #expect(isClose(Double(c.resolvedEmbeddingWeight(pixels: 65536, dims: 512)), 12.0.squareRoot()))
    #expect(isClose(Double(c.resolvedEmbeddingWeight(pixels: 16384, dims: 512)), 3.0.squareRoot()))
  }

  @Test func nanDistanceNeverWinsTheArgmax() {
    // Row 1 holds a NaN pixel under center 0's scribble: its distance is NaN and counts as 0.
    let pixels = FeatureMatrix(rows: 4, columns: 2, values: [0, 0, .nan, 0, 1, 0, 2, 0])
    let embeddings = FeatureMatrix(rows: 4, columns: 1, values: [0, 0, 0, 0])
    let scribbles = ScribbleMasks(slices: 4, pixels: 2, labels: [1, 4, 1, 4, 1, 4, 1, 4])
    let m = OursMetric(pixels: pixels, embeddings: embeddings, scribbles: scribbles)
    var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
    let picks = KCenterGreedy.select(metric: m, labeled: [0], budget: 3, using: &a)
    #expect(picks.first == 3)
    #expect(picks == KCenterGreedy.selectNaive(metric: m, labeled: [0], budget: 3, using: &b))
    #expect(picks.last == 1, "the NaN row is picked only when nothing else is left")
  }

  @Test func matchesSklearnFusedRowMetricAndPicks() throws {
    let f = try loadFixture("ours.json")
    let n = try f.int("slices"), p = try f.int("pixels"), d = try f.int("dims")
    let m = OursMetric(
      pixels: FeatureMatrix(rows: n, columns: p, values: try f.floats("pixelValues")),
      embeddings: FeatureMatrix(rows: n, columns: d, values: try f.floats("embeddings")),
      scribbles: ScribbleMasks(slices: n, pixels: p, labels: try f.ints("scribbles").map { UInt8($0) }),
      configuration: .faithful)
    let expected = try f.doubles("distances")  // (candidate, center)
    for c in 0..<n {
      let center = m.prepareCenter(c)
      for x in 0..<n {
        #expect(
          isClose(Double(m.distance(x, to: center)), expected[x * n + c], rtol: 1e-4, atol: 1e-3),
          "d(\(x), \(c))")
      }
    }
    var rng = SplitMix64(seed: 0)
    let picks = KCenterGreedy.select(metric: m, labeled: try f.ints("labeled"), budget: 5, using: &rng)
    #expect(picks == (try f.ints("picks")))
  }
}
