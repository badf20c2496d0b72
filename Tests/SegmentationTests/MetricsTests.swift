// Distance transform and metrics against scipy / MedPy 0.4.0 fixtures, and the fast EDT against brute force.

import Randomness
import Segmentation
import Testing

struct EDTFixture: Decodable {
  var shape: [Int]
  var features: String
  var unit: [Double]
  var spacing: [Double]
  var spaced: [Double]
}

struct MetricsFixture: Decodable {
  struct Class: Decodable { var dice: Double; var hd95: Double; var hd95_mm: Double }
  var name: String
  var shape: [Int]
  var spacing: [Double]
  var truth: String
  var prediction: String
  var classes: [Class]
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
  zip(a, b).reduce(0) { max($0, $1.0 == $1.1 ? 0 : abs($1.0 - $1.1)) }
}

@Suite struct MetricsTests {
  @Test func distanceTransformMatchesScipy() throws {
    let f = try Fixtures.load("edt.json", as: EDTFixture.self)
    let features = f.features.map { $0 == "1" }
    let unit = EuclideanDistanceTransform.distances(toNearest: features, shape: f.shape)
    let spaced = EuclideanDistanceTransform.distances(toNearest: features, shape: f.shape, spacing: f.spacing)
    #expect(maxDifference(unit, f.unit) < 1e-12)
    #expect(maxDifference(spaced, f.spaced) < 1e-12)
  }

  @Test(arguments: [[9, 13], [4, 7, 6], [1, 5, 8], [3, 1, 1], [2, 3, 2, 4]])
  func distanceTransformMatchesBruteForce(shape: [Int]) {
    var rng = SplitMix64(seed: UInt64(shape.reduce(0, +)))
    let n = shape.reduce(1, *)
    let spacing = shape.map { _ in rng.uniform(0.3, 3) }
    for density in [0.0, 0.02, 0.2, 1.0] {
      let features = (0..<n).map { _ in rng.uniform(0, 1) < density }
      let fast = EuclideanDistanceTransform.distances(toNearest: features, shape: shape, spacing: spacing)
      let slow = EuclideanDistanceTransform.naive(toNearest: features, shape: shape, spacing: spacing)
      if features.contains(true) {
        #expect(maxDifference(fast, slow) < 1e-9, "shape \(shape) density \(density)")
      } else {
        #expect(fast.allSatisfy { $0 == .infinity })
      }
    }
  }

  @Test func perClassMetricsMatchMedPy() throws {
    let cases = try Fixtures.load("metrics.json", as: [MetricsFixture].self)
    #expect(cases.count == 4)
    for c in cases {
      let got = SegmentationMetrics.evaluate(
        prediction: Fixtures.digits(c.prediction), truth: Fixtures.digits(c.truth),
        shape: c.shape, spacing: c.spacing, classes: 4)
      for (k, want) in c.classes.enumerated() {
        #expect(abs(got[k].dice - want.dice) < 1e-12, "\(c.name) class \(k + 1) dice")
        #expect(abs(got[k].hd95 - want.hd95) < 1e-9, "\(c.name) class \(k + 1) hd95 \(got[k].hd95) vs \(want.hd95)")
        #expect(abs(got[k].hd95Millimetres - want.hd95_mm) < 1e-9, "\(c.name) class \(k + 1) hd95 mm")
      }
    }
  }

  @Test func surfaceIsTheObjectMinusItsFaceErosion() {
    // 3×3×3 cube in a 5×5×5 grid: only the centre voxel is interior
    var m = [Bool](repeating: false, count: 125)
    for z in 1...3 { for y in 1...3 { for x in 1...3 { m[z * 25 + y * 5 + x] = true } } }
    let s = BinaryMetrics.surface(m, shape: [5, 5, 5])
    #expect(s.filter { $0 }.count == 26 && !s[2 * 25 + 2 * 5 + 2])
    // an object filling the grid is all surface at the grid border (outside counts as background)
    let full = BinaryMetrics.surface([Bool](repeating: true, count: 27), shape: [3, 3, 3])
    #expect(full.filter { $0 }.count == 26)
  }

  @Test func percentileInterpolatesLikeNumpy() {
    #expect(abs(BinaryMetrics.percentile([1, 2, 3, 4], 95) - 3.85) < 1e-12)
    #expect(abs(BinaryMetrics.percentile([5], 95) - 5) < 1e-12)
    #expect(abs(BinaryMetrics.percentile([0, 10, 2, 7, 1], 50) - 2) < 1e-12)
  }

  @Test func summaryAveragesVolumesThenClasses() {
    let a = [ClassMetrics(dice: 1, hd95: 2, hd95Millimetres: 4), ClassMetrics(dice: 0.5, hd95: 0, hd95Millimetres: 0)]
    let b = [ClassMetrics(dice: 0, hd95: 4, hd95Millimetres: 8), ClassMetrics.zero]
    let s = EvaluationSummary(volumes: [a, b])
    #expect(abs(s.perClass[0].dice - 0.5) < 1e-12 && abs(s.perClass[1].dice - 0.25) < 1e-12)
    #expect(abs(s.meanDice - 0.375) < 1e-12 && abs(s.meanHD95 - 1.5) < 1e-12 && abs(s.meanHD95Millimetres - 3) < 1e-12)
  }
}
