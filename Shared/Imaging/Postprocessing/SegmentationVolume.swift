// A scan's segmentation from the probabilities its slices were predicted with at the model size: each
// slice's ensemble members averaged, resized back to the scan's in-plane size (bilinear on the probabilities,
// corner-aligned), and the argmax taken there; optionally the resized probabilities too.

/// The label map (and optionally the class probabilities) of a scan, on the scan's own grid.
public struct SegmentationVolume: Sendable {
  public let classes: Int
  public let depth: Int
  public let height: Int
  public let width: Int
  /// depth · height · width labels, row-major (z, y, x).
  public let labels: [UInt8]
  /// classes · depth · height · width probabilities, class-major (c, z, y, x); empty unless asked for.
  public let probabilities: [Float]

  /// `slices[z]` holds every ensemble member's prediction of slice z (the same shape for all); the result has
  /// slices of `height` × `width`. With `keepProbabilities` the resized mean probabilities are kept as well.
  public init(slices: [[ProbabilityPlanes]], height: Int, width: Int, keepProbabilities: Bool) {
    precondition(
      !slices.isEmpty && slices.allSatisfy { !$0.isEmpty }, "SegmentationVolume needs every slice's predictions")
    let classes = slices[0][0].classes
    let plane = height * width
    var labels: [UInt8] = []
    labels.reserveCapacity(slices.count * plane)
    var probabilities = [Float](repeating: 0, count: keepProbabilities ? classes * slices.count * plane : 0)
    for (z, members) in slices.enumerated() {
      let mean = ProbabilityPlanes.mean(members).resized(height: height, width: width)
      precondition(
        mean.classes == classes, "slice \(z) was predicted with \(mean.classes) classes, slice 0 with \(classes)")
      labels += mean.labels()
      guard keepProbabilities else { continue }
      for c in 0..<classes {
        let target = (c * slices.count + z) * plane
        probabilities.replaceSubrange(target..<(target + plane), with: mean.values[(c * plane)..<((c + 1) * plane)])
      }
    }
    self.classes = classes
    self.depth = slices.count
    self.height = height
    self.width = width
    self.labels = labels
    self.probabilities = probabilities
  }

  /// Voxels of each class, 0..<classes.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels { counts[Int(label)] += 1 }
    return counts
  }
}
