// Per-slice uncertainty scores of spec §5.4–5.7 from softmax outputs: ensemble entropy,
// ensemble variance ratio and BALD (MC-dropout mutual information), each a mean over pixels.

/// Per-slice uncertainty measures; every function reads one slice of a `ClassProbabilities`.
public enum UncertaintyScores {
  /// The `1e-10` inside `H(p) = −Σ_c p_c·log(p_c + 1e-10)` (`utils.py::seg_entropy_score`).
  public static let entropyEpsilon = 1e-10

  /// Ensemble entropy (spec §5.4): `mean_px H( mean_m p_m[:, px] )`.
  public static func ensembleEntropy(_ probabilities: ClassProbabilities, slice: Int) -> Double {
    let mean = memberMean(probabilities, slice: slice)
    return meanPixelEntropy(mean, classes: probabilities.classes, pixels: probabilities.pixels)
  }

  /// Ensemble variance ratio (spec §5.5, Beluch et al.): per pixel `1 − f_mode/M`, where `f_mode`
  /// counts members whose argmax (first max) is the modal class; mean over pixels.
  public static func varianceRatio(_ probabilities: ClassProbabilities, slice: Int) -> Double {
    let c = probabilities.classes, p = probabilities.pixels, m = probabilities.members
    var votes = [Int32](repeating: 0, count: c * p)  // (classes, pixels)
    var best = [Float](repeating: 0, count: p)
    var arg = [Int](repeating: 0, count: p)
    probabilities.values.withUnsafeBufferPointer { v in
      for member in 0..<m {
        let base = probabilities.offset(member: member, slice: slice)
        for px in 0..<p { best[px] = v[base + px]; arg[px] = 0 }
        for k in 1..<max(c, 1) {
          let row = base + k * p
          for px in 0..<p where v[row + px] > best[px] {
            best[px] = v[row + px]
            arg[px] = k
          }
        }
        for px in 0..<p { votes[arg[px] * p + px] += 1 }
      }
    }
    var total = 0.0
    for px in 0..<p {
      var modal: Int32 = 0
      for k in 0..<c { modal = max(modal, votes[k * p + px]) }
      total += 1 - Double(modal) / Double(m)
    }
    return total / Double(p)
  }

  /// BALD for one model (spec §5.7): `mean_px[ H(mean_t p_t) − mean_t H(p_t) ]` over its MC passes.
  public static func bald(_ passes: ClassProbabilities, slice: Int) -> Double {
    let reduced = DropoutSummary.reduce(passes, slice: slice)
    let predictive = meanPixelEntropy(reduced.mean, classes: passes.classes, pixels: passes.pixels)
    return predictive - reduced.expectedEntropy
  }

  /// BALD over an ensemble (`mean_score`): the mean of each model's BALD.
  public static func ensembleBALD(_ models: [ClassProbabilities], slice: Int) -> Double {
    precondition(!models.isEmpty, "ensembleBALD needs at least one model's MC passes")
    return models.reduce(0) { $0 + bald($1, slice: slice) } / Double(models.count)
  }

  /// BALD over an ensemble from each model's pass summary (what the storage service keeps).
  public static func ensembleBALD(_ models: [DropoutSummary], slice: Int) -> Double {
    precondition(!models.isEmpty, "ensembleBALD needs at least one model's MC-dropout summary")
    return models.reduce(0) { $0 + $1.bald(slice: slice) } / Double(models.count)
  }

  // MARK: - Helpers

  /// Mean over members of one slice's `(classes, pixels)` block, accumulated in Double.
  static func memberMean(_ probabilities: ClassProbabilities, slice: Int) -> [Double] {
    let n = probabilities.classes * probabilities.pixels
    var sum = [Double](repeating: 0, count: n)  // (classes, pixels)
    probabilities.values.withUnsafeBufferPointer { v in
      for member in 0..<probabilities.members {
        let base = probabilities.offset(member: member, slice: slice)
        for i in 0..<n { sum[i] += Double(v[base + i]) }
      }
    }
    let scale = 1 / Double(probabilities.members)
    for i in 0..<n { sum[i] *= scale }
    return sum
  }

  /// `mean_px −Σ_c q[c, px]·log(q[c, px] + ε)` of a `(classes, pixels)` block.
  static func meanPixelEntropy<C: Collection>(_ q: C, classes: Int, pixels: Int) -> Double
  where C.Element: BinaryFloatingPoint, C.Index == Int {
    var total = 0.0
    let start = q.startIndex
    for k in 0..<classes {
      for px in 0..<pixels {
        let value = Double(q[start + k * pixels + px])
        total -= value * (value + entropyEpsilon).log()
      }
    }
    return total / Double(pixels)
  }
}
