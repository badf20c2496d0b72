// Release benchmark: k-center greedy with the "ours" distance on synthetic 128×128 pixel rows,
// 512-d embeddings and scribbles; budget 1 % of N. Usage: SelectorBench [N ...] (default 1454 20000).
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
    let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    for n in sizes.isEmpty ? [1454, 20000] : sizes {
      let t0 = DispatchTime.now()
      let pool = SyntheticPool(slices: n)
      let generation = seconds(since: t0)
      let metric = OursMetric(pixels: pool.pixels, embeddings: pool.embeddings, scribbles: pool.scribbles)
      let budget = n / 100
      var rng = SplitMix64(seed: 0)
      let t1 = DispatchTime.now(), c1 = cpuSeconds()
      let picks = KCenterGreedy.select(metric: metric, labeled: [], budget: budget, using: &rng)
      let selection = seconds(since: t1), cpu = cpuSeconds() - c1
      let head = picks.prefix(8).map(String.init).joined(separator: ",")
      let checksum = picks.enumerated().reduce(0) { ($0 &* 31) &+ $1.element &+ $1.offset }
      print("swift N=\(n) budget=\(budget) generate=\(fmt(generation))s select=\(fmt(selection))s cpu=\(fmt(cpu))s "
        + "picks[:8]=\(head) checksum=\(checksum)")
    }
  }

  static func typiClust(_ args: [Int]) {
    let n = args.count > 0 ? args[0] : 1454, labeledCount = args.count > 1 ? args[1] : 290
    let budget = args.count > 2 ? args[2] : 290
    let d = SyntheticPool.dims
    let embeddings = FeatureMatrix(rows: n, columns: d, values: (0..<(n * d)).map {
      SyntheticPool.hashUnit(UInt32($0 / d), UInt32($0 % d), 0x0BAD_F00D) * 2 - 1
    })
    let pool = SelectionPool(sliceIDs: Array(0..<n))
    let labeled = Set(stride(from: 0, to: n, by: max(1, n / max(labeledCount, 1))).prefix(labeledCount))
    let t0 = DispatchTime.now()
    do {
      let picks = try TypiClustSelection().select(pool: pool, labeled: labeled, budget: budget,
                                                  data: SelectionData(embeddings: embeddings), seed: 0)
      print("swift typiclust N=\(n) labeled=\(labeled.count) budget=\(budget) select=\(fmt(seconds(since: t0)))s "
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
