// The probabilistic k-center variant of spec §4.4 (`pkcenter_greedy`): instead of the argmax,
// draw the next center from softmax(minD / T), with T constant or T₀/(iter+1).

/// How the softmax temperature evolves (`temp_scale`).
public enum TemperatureSchedule: Sendable, Equatable {
  /// `T = temp_init` throughout.
  case constant
  /// `T = temp_init / (iter + 1)`, `iter` = number selected so far (labeled included).
  case inverseIteration
}

/// Softmax-sampled k-center greedy.
public enum ProbabilisticKCenterGreedy {
  /// Picks up to `budget` rows not in `labeled`; the first pick with nothing labeled is uniform.
  ///
  /// Deliberate deviation: rows picked earlier in the same batch are excluded (the spec keeps them
  /// eligible with tiny probability, which could return duplicates). NaN distances count as 0.
  public static func select<M: CoresetMetric>(
    metric: M, labeled: [Int], budget: Int, temperature: Float,
    schedule: TemperatureSchedule = .constant,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    precondition(temperature > 0, "ProbabilisticKCenterGreedy needs temperature > 0, got \(temperature)")
    var state = KCenterState(count: metric.count, labeled: labeled)
    let picks = min(max(budget, 0), state.available)
    var batch: [Int] = []
    _ = state.foldLabeled(labeled, metric: metric)
    for _ in 0..<picks {
      let index: Int
      if labeled.isEmpty && batch.isEmpty {
        index = state.randomAvailable(using: &rng)
      } else {
        let iteration = labeled.count + batch.count
        let t = schedule == .constant ? temperature : temperature / Float(iteration + 1)
        index = sample(state: state, temperature: t, using: &rng)
      }
      state.taken[index] = true
      batch.append(index)
      _ = state.update(center: metric.prepareCenter(index), metric: metric)
    }
    return batch
  }

  /// Draws an untaken row with probability ∝ exp((minD − max minD) / T), in Double for stability.
  static func sample(state: KCenterState, temperature: Float, using rng: inout some RandomNumberGenerator) -> Int {
    var maxD = -Double.infinity
    for (i, d) in state.minDistance.enumerated() where !state.taken[i] { maxD = max(maxD, Double(d)) }
    var weights = [Double](repeating: 0, count: state.minDistance.count)
    var total = 0.0
    for (i, d) in state.minDistance.enumerated() where !state.taken[i] {
      let w = maxD.isInfinite ? 1 : ((Double(d) - maxD) / Double(temperature)).exp()
      weights[i] = w
      total += w
    }
    var u = Double(rng.next() >> 11) * 0x1p-53 * total
    var last = -1
    for (i, w) in weights.enumerated() where w > 0 {
      last = i
      if u < w { return i }
      u -= w
    }
    return last
  }
}
