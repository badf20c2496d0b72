// A seeded two-level bootstrap: seeds with replacement, then each drawn seed's test volumes with
// replacement; percentile intervals. Compute only, no I/O; the same configuration gives the same intervals.

import Randomness

/// Resampling configuration and the percentile-interval computation.
public struct Bootstrap: Codable, Sendable, Hashable {
  /// Number of resamples.
  public var resamples: Int
  /// Seed of the SplitMix64 generator; every interval restarts from it, so each is reproducible on its own.
  public var seed: UInt64
  /// Coverage of the percentile interval.
  public var confidence: Double

  /// The report's configuration: 2,000 resamples, 95 % intervals, a fixed seed.
  public init(resamples: Int = 2000, seed: UInt64 = 0x5EED_B007, confidence: Double = 0.95) {
    precondition(
      resamples > 0 && confidence > 0 && confidence < 1, "Bootstrap needs resamples > 0 and 0 < confidence < 1")
    self.resamples = resamples
    self.seed = seed
    self.confidence = confidence
  }

  /// One resample: the drawn seeds (indices into the caller's seed list, with repeats), and for
  /// each the drawn test volume indices (none when only seeds are resampled). A paired statistic
  /// evaluates both strategies on the same draw, so they see the same seeds and volumes.
  public struct Draw: Sendable {
    /// Drawn seed indices.
    public internal(set) var seeds: [Int]
    /// Volume indices of draw k at `k * volumesPerSeed ..< (k + 1) * volumesPerSeed`.
    public internal(set) var volumeIndices: [Int]
    public let volumesPerSeed: Int

    /// Every seed once with no volumes: the statistic on the data as observed.
    public static func observed(seeds: Int) -> Draw {
      Draw(seeds: Array(0..<seeds), volumeIndices: [], volumesPerSeed: 0)
    }

    /// The volume indices drawn for the k-th drawn seed (empty when only seeds are resampled).
    public func volumes(_ k: Int) -> ArraySlice<Int> {
      volumeIndices[k * volumesPerSeed..<(k + 1) * volumesPerSeed]
    }
  }

  /// `point` with the percentile interval of `statistic` over resamples of `seeds` seeds, each with
  /// `volumes` test volumes (0: resample seeds only). Non-finite resampled statistics are skipped;
  /// no seeds gives `.unavailable`.
  public func estimate(point: Double, seeds: Int, volumes: Int, statistic: (Draw) -> Double) -> BootstrapEstimate {
    guard seeds > 0, point.isFinite else { return .unavailable }
    var generator = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(resamples)
    var draw = Draw(
      seeds: Array(repeating: 0, count: seeds), volumeIndices: Array(repeating: 0, count: seeds * volumes),
      volumesPerSeed: volumes)
    for _ in 0..<resamples {
      for k in 0..<seeds { draw.seeds[k] = Self.index(below: seeds, &generator) }
      for k in 0..<draw.volumeIndices.count { draw.volumeIndices[k] = Self.index(below: volumes, &generator) }
      let value = statistic(draw)
      if value.isFinite { values.append(value) }
    }
    guard !values.isEmpty else {
      return BootstrapEstimate(value: point, ciLow: .nan, ciHigh: .nan, seeds: seeds, volumes: volumes)
    }
    values.sort()
    let tail = (1 - confidence) / 2
    return BootstrapEstimate(
      value: point, ciLow: Self.quantile(values, tail), ciHigh: Self.quantile(values, 1 - tail),
      seeds: seeds, volumes: volumes)
  }

  // MARK: - Helpers

  /// A uniform index in 0..<n by modulo: the bias is below n / 2^64, and unlike the standard
  /// library's `random(in:using:)` the mapping is fixed, so reports stay identical across toolchains.
  static func index(below n: Int, _ generator: inout SplitMix64) -> Int {
    Int(generator.next() % UInt64(n))
  }

  /// The q-quantile of ascending `sorted` values with linear interpolation (numpy's default).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
    let weight = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
  }
}
