// A single-channel float image (row-major) and the resampling primitives the augmentations share.

/// One H×W single-channel float image, row-major.
public struct GrayImage: Sendable, Equatable {
  public var height: Int
  public var width: Int
  public var pixels: [Float]

  public init(height: Int, width: Int, pixels: [Float]) {
    precondition(
      pixels.count == height * width, "image \(height)×\(width) needs \(height * width) pixels, got \(pixels.count)")
    self.height = height
    self.width = width
    self.pixels = pixels
  }

  public subscript(y: Int, x: Int) -> Float {
    get { pixels[y * width + x] }
    set { pixels[y * width + x] = newValue }
  }

  /// Bilinear resize of the crop rows top..<top+h, columns left..<left+w to outHeight×outWidth
  /// (half-pixel centres, PyTorch `interpolate(mode="bilinear", align_corners=False)`, no antialiasing).
  public func resizedCrop(top: Int, left: Int, height h: Int, width w: Int, outHeight: Int, outWidth: Int) -> GrayImage
  {
    var out = GrayImage(height: outHeight, width: outWidth, pixels: [Float](repeating: 0, count: outHeight * outWidth))
    let sy = Float(h) / Float(outHeight), sx = Float(w) / Float(outWidth)
    for oy in 0..<outHeight {
      let fy = max(0, (Float(oy) + 0.5) * sy - 0.5)
      let y0 = min(Int(fy), h - 1), y1 = min(y0 + 1, h - 1), wy = fy - Float(y0)
      for ox in 0..<outWidth {
        let fx = max(0, (Float(ox) + 0.5) * sx - 0.5)
        let x0 = min(Int(fx), w - 1), x1 = min(x0 + 1, w - 1), wx = fx - Float(x0)
        let a = self[top + y0, left + x0], b = self[top + y0, left + x1]
        let c = self[top + y1, left + x0], d = self[top + y1, left + x1]
        out[oy, ox] = (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * c + wx * d)
      }
    }
    return out
  }
}
