// Pixel intensities stored pixel-major: all slices' values of pixel 0, then of pixel 1, ...
// The "ours" distance reads only the center's scribbled pixels, so this layout turns its
// inner loop into contiguous, SIMD-friendly streams over candidates.

/// `(pixels, slices)` Float values, pixel-major: `values[p * slices + s]`.
public struct PixelColumns: Sendable, Equatable {
  /// Number of slices.
  public let slices: Int
  /// Pixels per slice.
  public let pixels: Int
  /// The values. // (pixels, slices)
  public let values: [Float]

  /// Wraps pixel-major `values`; its count must be `pixels * slices`.
  public init(slices: Int, pixels: Int, values: [Float]) {
    precondition(
      values.count == slices * pixels,
      "PixelColumns \(pixels)×\(slices) needs \(slices * pixels) values, got \(values.count)")
    self.slices = slices
    self.pixels = pixels
    self.values = values
  }

  /// Transposes a row-major `(slices, pixels)` matrix, in 64×64 tiles.
  public init(transposing rows: FeatureMatrix) {
    let n = rows.rows, p = rows.columns, tile = 64
    let values = [Float](unsafeUninitializedCapacity: n * p) { out, count in
      rows.values.withUnsafeBufferPointer { src in
        for s0 in stride(from: 0, to: n, by: tile) {
          for p0 in stride(from: 0, to: p, by: tile) {
            for s in s0..<min(s0 + tile, n) {
              for q in p0..<min(p0 + tile, p) { out[q * n + s] = src[s * p + q] }
            }
          }
        }
      }
      count = n * p
    }
    self.init(slices: n, pixels: p, values: values)
  }

  /// Pixel `p` of slice `s`.
  @inlinable
  public subscript(slice s: Int, pixel p: Int) -> Float { values[p * slices + s] }
}
