// Properties of the contrastive view transform: shape, determinism per seed, identity when every step is off,
// and each step's own invariant (flip is an involution, blur keeps a constant image, erasing only zeroes).

import MetricLearning
import Randomness
import Testing

@Suite struct AugmentationTests {
  static func ramp(_ h: Int, _ w: Int) -> GrayImage {
    GrayImage(
      height: h, width: w, pixels: (0..<(h * w)).map { Float(($0 % w) + 2 * ($0 / w)) / Float(h + 2 * w) + 0.1 })
  }

  @Test(arguments: [(16, 16), (12, 20)])
  func shapeAndDeterminism(_ size: (Int, Int)) {
    let image = Self.ramp(size.0, size.1)
    let augment = ContrastiveAugmentation(config: .paper)
    var a = SplitMix64(seed: 4), b = SplitMix64(seed: 4), c = SplitMix64(seed: 5)
    let va = (0..<5).map { _ in augment(image, using: &a) }
    let vb = (0..<5).map { _ in augment(image, using: &b) }
    let vc = (0..<5).map { _ in augment(image, using: &c) }
    #expect(va.allSatisfy { $0.height == size.0 && $0.width == size.1 })
    #expect(va == vb)
    #expect(va != vc)
    #expect(va[0] != image)
    #expect(va.allSatisfy { $0.pixels.allSatisfy { $0.isFinite && $0 >= -1e-6 && $0 <= 1.1 } })
  }

  @Test func identityWhenAllProbabilitiesAreZero() {
    let image = Self.ramp(10, 14)
    var rng = SplitMix64(seed: 1)
    let augment = ContrastiveAugmentation(config: .identity)
    for _ in 0..<3 { #expect(augment(image, using: &rng) == image) }
  }

  @Test func flipOnlyIsAMirror() {
    var config = AugmentationConfig.identity
    config.flipProbability = 1
    let image = Self.ramp(6, 9)
    var rng = SplitMix64(seed: 2)
    let flipped = ContrastiveAugmentation(config: config)(image, using: &rng)
    for r in 0..<6 { for c in 0..<9 { #expect(flipped[r, c] == image[r, 8 - c]) } }
  }

  @Test func blurOnlyKeepsAConstantImage() {
    var config = AugmentationConfig.identity
    config.blurProbability = 1
    let image = GrayImage(height: 8, width: 8, pixels: [Float](repeating: 0.25, count: 64))
    var rng = SplitMix64(seed: 3)
    let out = ContrastiveAugmentation(config: config)(image, using: &rng)
    #expect(out.pixels.allSatisfy { abs($0 - 0.25) < 1e-6 })
  }

  @Test func erasingOnlyZeroesOneRectangle() {
    var config = AugmentationConfig.identity
    config.erasingProbability = 1
    let image = GrayImage(height: 20, width: 20, pixels: [Float](repeating: 1, count: 400))
    var rng = SplitMix64(seed: 8)
    let out = ContrastiveAugmentation(config: config)(image, using: &rng)
    let zeros = out.pixels.filter { $0 == 0 }.count
    #expect(zeros >= 8 && zeros <= 132 + 40, "erased \(zeros) of 400 pixels (scale 0.02–0.33)")
    #expect(out.pixels.allSatisfy { $0 == 0 || $0 == 1 })
  }

  @Test func cropOnlyOfAConstantImageIsConstant() {
    var config = AugmentationConfig.identity
    config.cropProbability = 1
    let image = GrayImage(height: 16, width: 16, pixels: [Float](repeating: 0.5, count: 256))
    var rng = SplitMix64(seed: 6)
    let out = ContrastiveAugmentation(config: config)(image, using: &rng)
    #expect(out.pixels.allSatisfy { abs($0 - 0.5) < 1e-6 })
  }

  @Test func affineOnlyKeepsMassRoughlyAndFillsZero() {
    var config = AugmentationConfig.identity
    config.affineProbability = 1
    let image = GrayImage(height: 32, width: 32, pixels: [Float](repeating: 1, count: 1024))
    var rng = SplitMix64(seed: 7)
    let out = ContrastiveAugmentation(config: config)(image, using: &rng)
    let ones = out.pixels.filter { $0 == 1 }.count
    #expect(out.pixels.allSatisfy { $0 == 0 || $0 == 1 })
    #expect(ones > 300 && ones <= 1024, "\(ones) pixels kept")
  }
}
