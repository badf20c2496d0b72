// A point estimate with its bootstrap percentile interval and what was resampled.

/// A statistic of test Dice, its bootstrap interval, and the seeds and volumes behind it.
public struct BootstrapEstimate: Codable, Sendable, Hashable {
  /// The statistic on the data as observed; NaN when no seed has a finite value.
  public var value: Double
  /// Lower end of the percentile interval (NaN when `value` is).
  public var ciLow: Double
  /// Upper end of the percentile interval (NaN when `value` is).
  public var ciHigh: Double
  /// Seeds resampled (for a paired statistic: seeds both strategies ran).
  public var seeds: Int
  /// Test volumes resampled within each seed; 0 when per-volume Dice is missing for some run
  /// (records older than `Metrics.volume_dice`), so only seeds were resampled.
  public var volumes: Int

  public init(value: Double, ciLow: Double, ciHigh: Double, seeds: Int, volumes: Int) {
    self.value = value
    self.ciLow = ciLow
    self.ciHigh = ciHigh
    self.seeds = seeds
    self.volumes = volumes
  }

  /// Nothing to estimate from: no seed with a finite value.
  public static let unavailable = BootstrapEstimate(value: .nan, ciLow: .nan, ciHigh: .nan, seeds: 0, volumes: 0)

  /// `0.0123 [-0.0050, 0.0300]`, `0.0123 (1 run: no CI)` with one seed and at most one volume
  /// (nothing to resample), or `n/a`. `signed` prefixes non-negative numbers with `+`.
  public func formatted(digits: Int = 4, signed: Bool = false) -> String {
    func number(_ x: Double) -> String {
      let text = MeanStd.fixed(x, digits)
      return signed && x.isFinite && !text.hasPrefix("-") ? "+" + text : text
    }
    guard value.isFinite, seeds > 0 else { return "n/a" }
    if seeds == 1 && volumes <= 1 { return "\(number(value)) (1 run: no CI)" }
    return "\(number(value)) [\(number(ciLow)), \(number(ciHigh))]"
  }
}
