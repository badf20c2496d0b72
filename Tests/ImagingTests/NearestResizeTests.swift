// Nearest-neighbour resize against scipy.ndimage.zoom(order=0) (Fixtures/zoom.json).

import Testing
@testable import Imaging

@Suite struct NearestResizeTests {
  static let cases = (try? FixtureData.load("zoom.json", as: [FixtureData.Zoom].self)) ?? []

  @Test func fixturesLoaded() { #expect(Self.cases.count >= 10) }

  @Test(arguments: cases.indices)
  func sourceIndicesMatchScipy(index: Int) {
    let c = Self.cases[index]
    #expect(NearestResize.sourceIndices(inputSize: c.in[0], outputSize: c.out[0]) == c.rows, "rows \(c.in)→\(c.out)")
    #expect(NearestResize.sourceIndices(inputSize: c.in[1], outputSize: c.out[1]) == c.cols, "cols \(c.in)→\(c.out)")
  }

  @Test func resizeReadsTheSourcePixels() {
    // x: (7, 10) with value = row·10 + col → (10, 7)
    let c = Self.cases.first { $0.in == [7, 10] }!
    let image = (0..<70).map { Int32($0) }
    let out = NearestResize.resize(image, height: 7, width: 10, outHeight: 10, outWidth: 7)
    var expected = [Int32]()
    for r in c.rows { for col in c.cols { expected.append(Int32(r * 10 + col)) } }
    #expect(out == expected)
  }

  @Test func volumeResizeIsPerSlice() {
    // (2, 3, 4) → (2, 5, 2); slice 1 values are slice 0 values + 100
    let volume = (0..<24).map { UInt8($0 < 12 ? $0 : $0 - 12 + 100) }
    let out = NearestResize.resizeVolume(volume, depth: 2, height: 3, width: 4, outHeight: 5, outWidth: 2)
    #expect(out.count == 20)
    #expect(Array(out[10..<20]) == out[0..<10].map { $0 + 100 })
    #expect(NearestResize.resize(volume, height: 6, width: 4, outHeight: 6, outWidth: 4) == volume)
  }
}
