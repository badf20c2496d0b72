// The grayscale PNG codec against files written by an independent Python encoder (every filter type),
// its own round trip, and clear refusals of PNGs it does not read.

import DatasetFormats
import Foundation
import Testing

@Suite struct PNGGray8Tests {
  static let folder = Fixtures.path("png")

  static func expected() throws -> [UInt8] {
    try String(contentsOfFile: folder + "/expected.txt", encoding: .utf8)
      .split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0)! }
  }

  @Test(arguments: ["none", "sub", "up", "average", "paeth", "mixed"])
  func readsEveryFilterType(filter: String) throws {
    let image = try PNGGray8.read(Self.folder + "/gray_\(filter).png")
    #expect(image.width == 7 && image.height == 5)
    #expect(image.pixels == (try Self.expected()))
  }

  @Test func roundTripsItsOwnFiles() throws {
    let image = PNGGray8(width: 3, height: 2, pixels: [0, 1, 2, 3, 4, 255])
    let decoded = try PNGGray8.decode(try image.encoded())
    #expect(decoded == image)
  }

  @Test func refusesWhatItCannotRead() throws {
    let rgb = #expect(throws: DatasetError.self) { try PNGGray8.read(Self.folder + "/rgb.png") }
    #expect(rgb?.code == .unsupported && rgb?.message.contains("8-bit grayscale") == true)
    var bytes = try PNGGray8(width: 4, height: 4, pixels: [UInt8](repeating: 7, count: 16)).encoded()
    bytes.removeLast(20)  // cut into IDAT
    let cut = #expect(throws: DatasetError.self) { try PNGGray8.decode(bytes, path: "cut.png") }
    #expect(cut?.message.contains("cut.png") == true)
    let notPNG = #expect(throws: DatasetError.self) { try PNGGray8.decode(Array("hello, world".utf8), path: "x.png") }
    #expect(notPNG?.code == .corruptFile && notPNG?.message.contains("signature") == true)
    let missing = #expect(throws: DatasetError.self) { try PNGGray8.read("/nowhere/mask.png") }
    #expect(missing?.code == .missingFile)
  }
}
