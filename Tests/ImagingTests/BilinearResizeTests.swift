// Bilinear resize on scipy.ndimage.zoom(order=1, grid_mode=False)'s corner-aligned grid: output index o reads
// input position o·(in−1)/(out−1). Values below are worked out by hand from that rule.

import Testing
@testable import Imaging

@Suite struct BilinearResizeTests {
  @Test(
    arguments: [
      (3, 5, [0, 0.5, 1, 1.5, 2]),
      (5, 3, [0, 2, 4]),
      (4, 1, [0]),
      (1, 3, [0, 0, 0]),
      (32, 60, (0..<60).map { Double($0) * 31 / 59 })
    ] as [(Int, Int, [Double])])
  func sourcePositionsAreCornerAligned(input: Int, output: Int, expected: [Double]) {
    let positions = BilinearResize.sourcePositions(inputSize: input, outputSize: output)
    #expect(positions.count == expected.count)
    #expect(zip(positions, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(input)→\(output): \(positions)")
  }

  @Test func twoByTwoToThreeByThreeInterpolatesMidpoints() {
    // x: (2, 2) = [0 1; 2 3] → (3, 3)
    let out = BilinearResize.resize([0, 1, 2, 3], height: 2, width: 2, outHeight: 3, outWidth: 3)
    let expected: [Float] = [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]
    #expect(zip(out, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(out)")
  }

  @Test func aLinearRampIsReproducedExactly() {
    // x: (5, 7) with v = 2y + 3x + 1 → (9, 13): bilinear interpolation is exact on a plane
    let (h, w, oh, ow) = (5, 7, 9, 13)
    let ramp = (0..<(h * w)).map { Float(2 * ($0 / w) + 3 * ($0 % w) + 1) }
    let out = BilinearResize.resize(ramp, height: h, width: w, outHeight: oh, outWidth: ow)
    let rows = BilinearResize.sourcePositions(inputSize: h, outputSize: oh)
    let cols = BilinearResize.sourcePositions(inputSize: w, outputSize: ow)
    for o in 0..<oh {
      for p in 0..<ow {
        let expected = 2 * rows[o] + 3 * cols[p] + 1
        #expect(abs(Double(out[o * ow + p]) - expected) < 1e-4, "(\(o), \(p))")
      }
    }
  }

  @Test func shrinkingOnTheGridReadsSourcePixelsAndTheSameSizeIsACopy() {
    // x: (5, 5) = 0..<25 → (3, 3) reads rows and columns 0, 2, 4
    let values = (0..<25).map(Float.init)
    let out = BilinearResize.resize(values, height: 5, width: 5, outHeight: 3, outWidth: 3)
    #expect(out == [0, 2, 4, 10, 12, 14, 20, 22, 24])
    #expect(BilinearResize.resize(values, height: 5, width: 5, outHeight: 5, outWidth: 5) == values)
  }
}
