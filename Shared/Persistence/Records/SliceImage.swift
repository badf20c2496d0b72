// The pixels of one slice.

/// A slice's intensities, `(height, width)` row-major float32.
public struct SliceImage: Sendable, Equatable {
  public var id: Int64
  public var height: Int
  public var width: Int
  public var pixels: [Float]
}
