// Annotation effort spent so far in a run, in slices, labeled pixels and annotator seconds.

/// Annotation cost spent up to and including a round.
public struct AnnotationCost: Codable, Sendable, Hashable {
  public var slices: Double
  public var pixels: Double
  public var seconds: Double

  public init(slices: Double, pixels: Double, seconds: Double) {
    self.slices = slices
    self.pixels = pixels
    self.seconds = seconds
  }
}
