// Release benchmark: k-center greedy with the "ours" distance on synthetic 128×128 pixel rows,
// 512-d embeddings and scribbles; budget 1 % of N. Usage: SelectorBench [--service] [N ...] (default 1454 20000).
// --service is the service's workload: 1 % of the pool is labeled (scribbled, the first centers) and 1 % more is
// picked from candidates without scribbles; by default nothing is labeled and nine slices in ten are scribbled.
// `SelectorBench --typiclust N LABELED BUDGET` times TypiClust (k-means + typicality) instead.

import ActiveLearning
import Dispatch
#if canImport(Glibc)
  import Glibc
  import Randomness
#endif

@main
struct SelectorBench {
  static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }

  /// User + system CPU seconds of this process (robust to other load on the 2 shared cores).
  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  }

  static func main() {
    if CommandLine.arguments.dropFirst().first == "--typiclust" {
      return typiClust(CommandLine.arguments.dropFirst(2).compactMap { Int($0) })
    }
    let service = CommandLine.arguments.contains("--service")
    let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    for n in sizes.isEmpty ? [1454, 20000] : sizes { kCenter(n, service: service) }
  }

  /// Times lazy k-center greedy (the default) and the eager sweep the NumPy peer runs, checks they
  /// pick the same slices, and relates the time per pick to one bandwidth-bound pass over its features.
  /// Prints one `swift-detail` line, then the `swift N=… select=… checksum=…` line scripts/bench reads.
  static func kCenter(_ n: Int, service: Bool) {
    let t0 = DispatchTime.now()
    let budget = n / 100
    let labeled = service ? Array(0..<budget) : []
    let pool = SyntheticPool(slices: n, scribbled: service ? labeled.count : nil)
    let generation = seconds(since: t0)
    let metric = OursMetric(pixels: pool.pixels, embeddings: pool.embeddings, scribbles: pool.scribbles)
    var rng = SplitMix64(seed: 0)
    var statistics = KCenterGreedy.Statistics()
    let t1 = DispatchTime.now(), c1 = cpuSeconds()
    let picks = KCenterGreedy.select(
      metric: metric, labeled: labeled, budget: budget, statistics: &statistics, using: &rng)
    let selection = seconds(since: t1), cpu = cpuSeconds() - c1

    var eagerRNG = SplitMix64(seed: 0)
    var eagerStatistics = KCenterGreedy.Statistics()
    let t2 = DispatchTime.now(), c2 = cpuSeconds()
    let eager = KCenterGreedy.select(
      metric: metric, labeled: labeled, budget: budget, deferCenters: false,
      statistics: &eagerStatistics, using: &eagerRNG)
    let eagerSelection = seconds(since: t2), eagerCPU = cpuSeconds() - c2
    precondition(eager == picks, "lazy and eager k-center greedy picked different slices")

    // One pass over what a pick's sweep reads: the center's scribbled pixel columns and every embedding.
    let swept = labeled + picks.dropLast()  // the last pick is never swept
    let sweptCenters = max(swept.count, 1)
    let passBytes =
      swept.reduce(0.0) { total, c in
        total + Double((pool.scribbledCount(slice: c) + SyntheticPool.dims) * n * 4)
      } / Double(sweptCenters)
    let bandwidth = ReadBandwidth.measure()
    let limit = passBytes / (bandwidth * 1e9)
    let perPick = selection / Double(max(picks.count, 1)), eagerPerPick = eagerSelection / Double(max(picks.count, 1))
    print(
      "swift-detail N=\(n) swept=\(statistics.sweptCenters) partial_sweeps=\(statistics.partialSweeps) "
        + "band_sweeps=\(statistics.bandSweeps) deferred=\(statistics.deferredCenters) "
        + "late_sweeps=\(statistics.lateSweeps) refreshed_rows=\(statistics.refreshedRows) "
        + "catch_up_distances=\(statistics.catchUpDistances) probes=\(statistics.probeDistances) "
        + "eager_select=\(fmt(eagerSelection))s eager_cpu=\(fmt(eagerCPU))s "
        + "pass_MB=\(fmt(passBytes / 1e6)) read_GBps=\(fmt(bandwidth)) pass_limit_ms=\(fmt(limit * 1e3)) "
        + "ours_pick_ms=\(fmt(perPick * 1e3)) eager_pick_ms=\(fmt(eagerPerPick * 1e3)) "
        + "ours_vs_pass=\(fmt(perPick / limit)) eager_vs_pass=\(fmt(eagerPerPick / limit))")

    let head = picks.prefix(8).map(String.init).joined(separator: ",")
    let checksum = picks.enumerated().reduce(0) { ($0 &* 31) &+ $1.element &+ $1.offset }
    print(
      "swift N=\(n) workload=\(service ? "service" : "synthetic") labeled=\(labeled.count) budget=\(budget) generate=\(fmt(generation))s select=\(fmt(selection))s cpu=\(fmt(cpu))s "
        + "picks[:8]=\(head) checksum=\(checksum)")
  }
  static func typiClust(_ args: [Int]) {
    let n = args.count > 0 ? args[0] : 1454, labeledCount = args.count > 1 ? args[1] : 290
    let budget = args.count > 2 ? args[2] : 290
    let d = SyntheticPool.dims
    let embeddings = FeatureMatrix(
      rows: n, columns: d,
      values: (0..<(n * d)).map {
        SyntheticPool.hashUnit(UInt32($0 / d), UInt32($0 % d), 0x0BAD_F00D) * 2 - 1
      })
    let pool = SelectionPool(sliceIDs: Array(0..<n))
    let labeled = Set(stride(from: 0, to: n, by: max(1, n / max(labeledCount, 1))).prefix(labeledCount))
    let t0 = DispatchTime.now()
    do {
      let picks = try TypiClustSelection().select(
        pool: pool, labeled: labeled, budget: budget,
        data: SelectionData(embeddings: embeddings), seed: 0)
      print(
        "swift typiclust N=\(n) labeled=\(labeled.count) budget=\(budget) select=\(fmt(seconds(since: t0)))s "
          + "picks[:8]=\(picks.prefix(8).map { String($0.id) }.joined(separator: ","))")
    } catch {
      print("typiclust failed: \(error)")
    }
  }

  static func fmt(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return "\(scaled)"
  }
}
