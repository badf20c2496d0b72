// One labeled 2D training slice (scribble or full mask) at its stored size.

/// One labeled training slice at its stored size: image (H·W floats) and label (H·W, classes or the ignore label).
public struct TrainingSlice: Sendable {
  public var image: Plane<Float>
  public var label: Plane<UInt8>

  public init(image: Plane<Float>, label: Plane<UInt8>) {
    precondition(
      image.height == label.height && image.width == label.width,
      "TrainingSlice: image \(image.height)×\(image.width) and label \(label.height)×\(label.width) differ")
    self.image = image
    self.label = label
  }

  /// A slice from flat arrays of `height · width` values.
  public init(height: Int, width: Int, image: [Float], label: [UInt8]) {
    self.init(
      image: Plane(height: height, width: width, values: image),
      label: Plane(height: height, width: width, values: label))
  }
}
