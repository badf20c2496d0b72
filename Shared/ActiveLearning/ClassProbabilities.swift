// Softmax outputs of several predictions (ensemble members or MC-dropout passes) for a set
// of slices, in the layout [member][slice][class][pixel], as the trainer's Predict returns them.

/// Class probabilities `(members, slices, classes, pixels)`, row-major.
/// A *member* is one ensemble model (ensemble scores) or one stochastic pass (BALD).
public struct ClassProbabilities: Sendable, Equatable {
  /// Number of members (models or MC passes).
  public let members: Int
  /// Number of slices; slice `s` is the pool's `s`-th slice.
  public let slices: Int
  /// Number of classes (background included).
  public let classes: Int
  /// Pixels per slice.
  public let pixels: Int
  /// `values[((m * slices + s) * classes + c) * pixels + p]`. // (members, slices, classes, pixels)
  public let values: [Float]

  /// Wraps `values`; its count must be `members * slices * classes * pixels`.
  public init(members: Int, slices: Int, classes: Int, pixels: Int, values: [Float]) {
    precondition(
      members > 0 && classes > 0 && pixels > 0 && slices >= 0,
      "ClassProbabilities needs positive members, classes and pixels, got \(members), \(classes), \(pixels)")
    precondition(
      values.count == members * slices * classes * pixels,
      "ClassProbabilities (\(members), \(slices), \(classes), \(pixels)) needs \(members * slices * classes * pixels) values, got \(values.count)"
    )
    self.members = members
    self.slices = slices
    self.classes = classes
    self.pixels = pixels
    self.values = values
  }

  /// Offset of `(member, slice, class 0, pixel 0)` in `values`.
  @inlinable
  public func offset(member m: Int, slice s: Int) -> Int {
    (m * slices + s) * classes * pixels
  }
}
