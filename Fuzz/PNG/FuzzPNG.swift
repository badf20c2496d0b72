// Fuzzes the 8-bit grayscale PNG decoder (scribble and mask images): every failure must be a DatasetError, and
// a decoded image must hold exactly width × height pixels.
// Input: the bytes of a .png file.
import DatasetFormats
import FuzzSupport

@main enum FuzzPNG {
  static func main() {
    FuzzEntry.main { input in
      expectOnly(DatasetError.self) {
        let image = try PNGGray8.decode(input, path: "fuzz.png")
        guard image.pixels.count == image.width * image.height else {
          fatalError("decoded \(image.width)×\(image.height) with \(image.pixels.count) pixels")
        }
      }
    }
  }
}
