// Augmentation against numpy/scipy fixtures (zoom order 0, rot90, flip, rotate order 0) and the seeded
// draw of method spec §2.2.

import Imaging
import Randomness
import Segmentation
import Testing

struct ResamplingFixture: Decodable {
  struct Zoom: Decodable { var `in`: Int; var out: Int; var indices: [Int] }
  struct Rot: Decodable { var k: Int; var shape: [Int]; var values: [UInt8] }
  struct Flip: Decodable { var axis: Int; var values: [UInt8] }
  struct RotateCase: Decodable { var angle: Int; var cval: UInt8; var values: [UInt8] }
  struct Rotate: Decodable { var shape: [Int]; var input: [UInt8]; var cases: [RotateCase] }
  var zoom: [Zoom]
  var rot90_input: [UInt8]
  var rot90: [Rot]
  var flip: [Flip]
  var rotate_small: Rotate
  var rotate_label: Rotate
}

@Suite struct AugmentationTests {
  let fixture: ResamplingFixture

  init() throws { fixture = try Fixtures.load("resampling.json", as: ResamplingFixture.self) }

  @Test func zoomIndicesMatchScipy() {
    for z in fixture.zoom {
      #expect(NearestResize.sourceIndices(inputSize: z.in, outputSize: z.out) == z.indices, "\(z.in)→\(z.out)")
    }
    let plane = Plane(height: 2, width: 3, values: [1, 2, 3, 4, 5, 6] as [UInt8])
    #expect(NearestZoom.resize(plane, height: 4, width: 2).values == [1, 3, 1, 3, 4, 6, 4, 6])
  }

  @Test func rot90AndFlipMatchNumpy() {
    let base = Plane(height: 3, width: 4, values: fixture.rot90_input)
    for r in fixture.rot90 {
      let out = PlaneTransforms.rot90(base, r.k)
      #expect([out.height, out.width] == r.shape && out.values == r.values, "k = \(r.k)")
    }
    for f in fixture.flip { #expect(PlaneTransforms.flip(base, axis: f.axis).values == f.values, "axis \(f.axis)") }
  }

  @Test func rotationMatchesScipyForEveryAngle() {
    for set in [fixture.rotate_small, fixture.rotate_label] {
      let plane = Plane(height: set.shape[0], width: set.shape[1], values: set.input)
      for c in set.cases {
        let out = PlaneTransforms.rotate(plane, degrees: c.angle, fill: c.cval)
        let wrong = zip(out.values, c.values).filter { $0 != $1 }.count
        #expect(wrong == 0, "\(set.shape) rotated by \(c.angle)°: \(wrong) pixels differ from scipy")
      }
    }
  }

  @Test func drawsFollowTheUpstreamProbabilities() {
    let augmenter = SliceAugmenter(outputSize: 8)
    var rng = SplitMix64(seed: 3)
    var rotFlip = 0, rotate = 0, none = 0
    var ks = Set<Int>(), axes = Set<Int>(), angles = Set<Int>()
    for _ in 0..<4000 {
      switch augmenter.draw(using: &rng) {
      case let .rotFlip(k, axis): rotFlip += 1; ks.insert(k); axes.insert(axis)
      case let .rotate(degrees): rotate += 1; angles.insert(degrees)
      case .none: none += 1
      }
    }
    #expect(abs(rotFlip - 2000) < 150 && abs(rotate - 1000) < 120 && abs(none - 1000) < 120)
    #expect(ks == [0, 1, 2, 3] && axes == [0, 1])
    #expect(angles == Set(-20...19))
    var off = SplitMix64(seed: 3)
    #expect(SliceAugmenter(outputSize: 8, enabled: false).draw(using: &off) == .none)
  }

  @Test func rotationPadsTheLabelWithIgnoreOnlyWhenItOccurs() {
    let augmenter = SliceAugmenter(outputSize: 10)
    let image = Plane(height: 10, width: 10, values: [Float](repeating: 1, count: 100))
    let full = Plane(height: 10, width: 10, values: [UInt8](repeating: 2, count: 100))
    var scribble = full
    scribble.values[55] = 4
    let (x, y) = augmenter.apply(.rotate(degrees: 15), image: image, label: full)
    let (_, ys) = augmenter.apply(.rotate(degrees: 15), image: image, label: scribble)
    #expect(x.values.contains(0) && !x.values.contains { $0 != 0 && $0 != 1 })
    #expect(y.values.contains(0) && !y.values.contains(4))
    #expect(ys.values.filter { $0 == 4 }.count > 1 && !ys.values.contains(0))
  }

  @Test func rotFlipMovesImageAndLabelTogetherAndResizes() {
    let augmenter = SliceAugmenter(outputSize: 6)
    let values = (0..<12).map { Float($0) }
    let image = Plane(height: 3, width: 4, values: values)
    let label = Plane(height: 3, width: 4, values: (0..<12).map { UInt8($0) })
    let (x, y) = augmenter.apply(.rotFlip(k: 1, axis: 0), image: image, label: label)
    #expect(x.height == 6 && x.width == 6 && y.height == 6)
    #expect(zip(x.values, y.values).allSatisfy { abs($0 - Float($1)) < 1e-6 })
    let expected = NearestZoom.resize(
      PlaneTransforms.flip(PlaneTransforms.rot90(label, 1), axis: 0), height: 6, width: 6)
    #expect(y.values == expected.values)
  }

  @Test func sameSeedSameAugmentation() {
    let augmenter = SliceAugmenter(outputSize: 16)
    var rng = SplitMix64(seed: 9)
    let (image, label) = SyntheticDisks.slice(size: 20, using: &rng)
    var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
    for _ in 0..<20 {
      let (xa, ya) = augmenter(image: image, label: label, using: &a)
      let (xb, yb) = augmenter(image: image, label: label, using: &b)
      #expect(xa.values == xb.values && ya.values == yb.values)
    }
  }
}
