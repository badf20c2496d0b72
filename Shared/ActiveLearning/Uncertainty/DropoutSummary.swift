// One model's MC-dropout passes reduced to what BALD reads: the mean softmax over the passes and the
// mean of the passes' pixel entropies. BALD from the summary equals BALD from the passes, at 1/T the size.

/// Per slice: the softmax averaged over T passes, and `mean_t mean_px H(p_t)` (BALD's expected entropy).
public struct DropoutSummary: Sendable, Equatable {
  /// The mean over passes, `(1, slices, classes, pixels)`.
  public let meanProbabilities: ClassProbabilities
  /// `mean_t mean_px H(p_t)` per slice.
  public let expectedEntropy: [Double]

  /// Wraps a stored summary; `meanProbabilities` must have one member and one entropy per slice.
  public init(meanProbabilities: ClassProbabilities, expectedEntropy: [Double]) {
    precondition(
      meanProbabilities.members == 1,
      "a DropoutSummary holds the mean over passes: 1 member, got \(meanProbabilities.members)")
    precondition(
      expectedEntropy.count == meanProbabilities.slices,
      "a DropoutSummary needs one expected entropy per slice: \(meanProbabilities.slices), got \(expectedEntropy.count)"
    )
    self.meanProbabilities = meanProbabilities
    self.expectedEntropy = expectedEntropy
  }

  /// Reduces one model's passes `(passes, slices, classes, pixels)`.
  public init(passes: ClassProbabilities) {
    var mean: [Float] = []
    mean.reserveCapacity(passes.slices * passes.classes * passes.pixels)
    var entropies: [Double] = []
    for slice in 0..<passes.slices {
      let reduced = Self.reduce(passes, slice: slice)
      mean += reduced.mean.map { Float($0) }
      entropies.append(reduced.expectedEntropy)
    }
    self.init(
      meanProbabilities: ClassProbabilities(
        members: 1, slices: passes.slices, classes: passes.classes,
        pixels: passes.pixels, values: mean),
      expectedEntropy: entropies)
  }

  /// One slice of `passes`: its mean softmax `(classes, pixels)` in Double and `mean_t mean_px H(p_t)`.
  public static func reduce(_ passes: ClassProbabilities, slice: Int) -> (mean: [Double], expectedEntropy: Double) {
    let c = passes.classes, p = passes.pixels
    var expected = 0.0
    passes.values.withUnsafeBufferPointer { v in
      for pass in 0..<passes.members {
        let base = passes.offset(member: pass, slice: slice)
        expected += UncertaintyScores.meanPixelEntropy(
          UnsafeBufferPointer(rebasing: v[base..<(base + c * p)]), classes: c, pixels: p)
      }
    }
    let mean = UncertaintyScores.memberMean(passes, slice: slice)
    return (mean, expected / Double(passes.members))
  }

  /// BALD of `slice` (spec §5.7): `mean_px H(mean_t p_t) − mean_t mean_px H(p_t)`.
  public func bald(slice: Int) -> Double {
    let predictive = UncertaintyScores.meanPixelEntropy(
      UncertaintyScores.memberMean(meanProbabilities, slice: slice), classes: meanProbabilities.classes,
      pixels: meanProbabilities.pixels)
    return predictive - expectedEntropy[slice]
  }
}
