// A batch of integer label images (N, H, W), e.g. a full mask or a scribble with 4 = unannotated.

/// Class labels per pixel for a batch: `values[(n·H + y)·W + x]`.
public struct LabelMap: Sendable, Hashable {
  /// (N, H, W)
  public var shape: [Int]
  public var values: [UInt8]

  public init(shape: [Int], values: [UInt8]) {
    precondition(
      shape.count == 3 && shape.reduce(1, *) == values.count,
      "LabelMap needs shape (N, H, W) matching \(values.count) values, got \(shape)")
    self.shape = shape
    self.values = values
  }

  /// Checks that the labels fit logits (N, C, H, W).
  func checkMatches(_ logits: [Int], _ what: String) {
    precondition(
      logits.count == 4 && [logits[0], logits[2], logits[3]] == shape,
      "\(what): labels \(shape) do not match predictions \(logits)")
  }
}
