// Training-time augmentation of method spec §2.2 (WSL4MIS RandomGenerator), seeded: with p 0.5 rot90 + flip,
// else with p 0.5 a small nearest-neighbour rotation, then an order-0 zoom to the model size.

/// What the augmenter did to one sample.
public enum AugmentationChoice: Sendable, Hashable {
  case none
  /// np.rot90 by k quarter turns, then np.flip along `axis`.
  case rotFlip(k: Int, axis: Int)
  /// scipy.ndimage.rotate by an integer angle in [−20, 19] degrees.
  case rotate(degrees: Int)
}

/// Augments (image, label) pairs and resizes them to `outputSize` × `outputSize`.
public struct SliceAugmenter: Sendable {
  public var outputSize: Int
  /// When false, samples are only resized.
  public var enabled: Bool
  /// The label value of unannotated scribble pixels; rotations pad the label with it when it occurs.
  public var ignoreLabel: UInt8

  public init(outputSize: Int, enabled: Bool = true, ignoreLabel: UInt8 = 4) {
    self.outputSize = outputSize
    self.enabled = enabled
    self.ignoreLabel = ignoreLabel
  }

  /// Draws the augmentation as upstream does: U > 0.5 → rot-flip (k ∈ 0...3, then axis ∈ {0, 1});
  /// else U > 0.5 → rotation by an integer in [−20, 19]; else none.
  public func draw(using rng: inout some RandomNumberGenerator) -> AugmentationChoice {
    guard enabled else { return .none }
    if RandomDraws.unit(using: &rng) > 0.5 {
      let k = RandomDraws.index(below: 4, using: &rng)
      return .rotFlip(k: k, axis: RandomDraws.index(below: 2, using: &rng))
    }
    if RandomDraws.unit(using: &rng) > 0.5 {
      return .rotate(degrees: RandomDraws.index(below: 40, using: &rng) - 20)
    }
    return .none
  }

  /// Applies `choice` to both planes (image padded with 0; label padded with the ignore label if the label
  /// contains it, else 0), then zooms both to the output size.
  public func apply(_ choice: AugmentationChoice, image: Plane<Float>, label: Plane<UInt8>) -> (
    image: Plane<Float>, label: Plane<UInt8>
  ) {
    precondition(
      image.height == label.height && image.width == label.width,
      "image \(image.height)×\(image.width) and label \(label.height)×\(label.width) differ in size")
    var (x, y) = (image, label)
    switch choice {
    case .none: break
    case let .rotFlip(k, axis):
      x = PlaneTransforms.flip(PlaneTransforms.rot90(x, k), axis: axis)
      y = PlaneTransforms.flip(PlaneTransforms.rot90(y, k), axis: axis)
    case let .rotate(degrees):
      let fill: UInt8 = y.values.contains(ignoreLabel) ? ignoreLabel : 0
      x = PlaneTransforms.rotate(x, degrees: degrees, fill: 0)
      y = PlaneTransforms.rotate(y, degrees: degrees, fill: fill)
    }
    return (
      NearestZoom.resize(x, height: outputSize, width: outputSize),
      NearestZoom.resize(y, height: outputSize, width: outputSize)
    )
  }

  /// `draw` then `apply`.
  public func callAsFunction(
    image: Plane<Float>, label: Plane<UInt8>,
    using rng: inout some RandomNumberGenerator
  ) -> (image: Plane<Float>, label: Plane<UInt8>) {
    apply(draw(using: &rng), image: image, label: label)
  }
}
