// A 3D validation or test volume with its full label and voxel spacing.

/// A validation or test volume: image and full label, both (D, H, W), and the voxel spacing (z, y, x) in mm.
public struct LabeledVolume: Sendable {
  public var depth: Int
  public var height: Int
  public var width: Int
  public var image: [Float]
  public var label: [UInt8]
  public var spacing: [Double]

  public init(depth: Int, height: Int, width: Int, image: [Float], label: [UInt8], spacing: [Double] = [1, 1, 1]) {
    precondition(
      depth > 0 && height > 0 && width > 0 && image.count == depth * height * width && label.count == image.count,
      "LabeledVolume: \(image.count) image and \(label.count) label values for \(depth)×\(height)×\(width)")
    precondition(
      spacing.count == 3 && spacing.allSatisfy { $0 > 0 },
      "LabeledVolume spacing must be 3 positive numbers, got \(spacing)")
    self.depth = depth
    self.height = height
    self.width = width
    self.image = image
    self.label = label
    self.spacing = spacing
  }

  /// Slice d of the image.
  public func imageSlice(_ d: Int) -> Plane<Float> {
    let n = height * width
    return Plane(height: height, width: width, values: Array(image[(d * n)..<((d + 1) * n)]))
  }
}
