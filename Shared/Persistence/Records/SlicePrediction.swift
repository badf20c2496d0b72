// One model's prediction for one slice, as the uncertainty strategies read it back.

/// The mean softmax of a model over its passes for one slice, and the mean entropy of those passes.
public struct SlicePrediction: Sendable, Equatable {
  /// The model (segmentation checkpoint) that predicted.
  public var checkpointId: Int64
  public var sliceId: Int64
  /// 1 for one deterministic pass, T for T Monte-Carlo-dropout passes.
  public var passes: Int
  public var classes: Int
  public var height: Int
  public var width: Int
  /// `(classes, height, width)` row-major: the softmax averaged over the passes (stored as float16).
  public var probabilities: [Float]
  /// `mean_t mean_px H(p_t)`: BALD's expected entropy (for one pass, that pass's mean pixel entropy).
  public var expectedEntropy: Double

  public init(
    checkpointId: Int64, sliceId: Int64, passes: Int, classes: Int, height: Int, width: Int,
    probabilities: [Float], expectedEntropy: Double
  ) {
    self.checkpointId = checkpointId
    self.sliceId = sliceId
    self.passes = passes
    self.classes = classes
    self.height = height
    self.width = width
    self.probabilities = probabilities
    self.expectedEntropy = expectedEntropy
  }
}
