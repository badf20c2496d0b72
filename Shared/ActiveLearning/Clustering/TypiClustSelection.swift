// TypiClust (spec §5.8): cluster the embeddings into min(|L| + n, 500) groups, then take the
// most typical unlabeled point of the largest clusters with the fewest labeled points.

/// TypiClust over `SelectionData.embeddings`; scores are `budget − rank`.
///
/// Deviations, on purpose: full Lloyd k-means for every K (the spec switches to MiniBatchKMeans
/// above 50 clusters), seeded by the request RNG; the typicality neighbour count is
/// `Typicality.neighbourCount` (self never counted).
public struct TypiClustSelection: SelectionStrategy {
  public let name: String
  /// `min_cluster_size` (5): clusters of at most this many points are skipped.
  public let minClusterSize: Int
  /// `max_num_clusters` (500).
  public let maxClusters: Int
  /// `k_nn` (20).
  public let kNN: Int

  public init(name: String = "typiclust", minClusterSize: Int = 5, maxClusters: Int = 500, kNN: Int = 20) {
    self.name = name
    self.minClusterSize = minClusterSize
    self.maxClusters = maxClusters
    self.kNN = kNN
  }

  public func select(
    pool: SelectionPool, labeled: Set<Int>, budget: Int, data: SelectionData,
    using rng: inout some RandomNumberGenerator
  ) throws(SelectionError) -> [RankedSlice] {
    try checkBudget(budget)
    let embeddings = try data.require(data.embeddings, "embeddings", for: name)
    try data.check(rows: embeddings.rows, "embeddings", pool: pool)
    let labeledRows = pool.labeledRows(labeled)
    let unlabeledRows = pool.unlabeledRows(labeled)
    let picks = min(budget, unlabeledRows.count)
    guard picks > 0 else { return [] }
    let assignments = cluster(embeddings, count: min(labeledRows.count + picks, maxClusters), using: &rng)
    let rows = selectFromClusters(
      assignments: assignments, features: embeddings, labeledRows: labeledRows,
      unlabeledRows: unlabeledRows, budget: picks, using: &rng)
    return rows.rankedByOrder(in: pool)
  }

  /// K-means with K lowered until no cluster is empty (spec: "K is decremented").
  func cluster(_ features: FeatureMatrix, count: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
    var k = min(count, features.rows)
    while true {
      let result = KMeans.fit(features, k: k, using: &rng)
      if k == 1 || !result.clusterSizes.contains(0) { return result.assignments }
      k -= 1
    }
  }

  /// The selection loop given cluster `assignments` per pool row: clusters with more than
  /// `minClusterSize` members, ordered by (labeled count ascending, size descending, id ascending),
  /// visited round-robin; each visit takes the cluster's most typical remaining unlabeled row
  /// (first on ties, in pool order). An exhausted cluster, or no usable cluster at all, yields a
  /// uniformly random remaining unlabeled row.
  public func selectFromClusters(
    assignments: [Int], features: FeatureMatrix, labeledRows: [Int],
    unlabeledRows: [Int], budget: Int,
    using rng: inout some RandomNumberGenerator
  ) -> [Int] {
    let clusterCount = (assignments.max() ?? -1) + 1
    var sizes = [Int](repeating: 0, count: clusterCount)
    var labeledCounts = [Int](repeating: 0, count: clusterCount)
    for row in labeledRows { sizes[assignments[row]] += 1; labeledCounts[assignments[row]] += 1 }
    for row in unlabeledRows { sizes[assignments[row]] += 1 }
    let order = (0..<clusterCount).filter { sizes[$0] > minClusterSize }.sorted {
      (labeledCounts[$0], -sizes[$0], $0) < (labeledCounts[$1], -sizes[$1], $1)
    }
    var remaining = Set(unlabeledRows)
    var selected: [Int] = []
    for i in 0..<min(budget, unlabeledRows.count) {
      var pick: Int?
      if !order.isEmpty {
        let cluster = order[i % order.count]
        let members = unlabeledRows.filter { assignments[$0] == cluster && remaining.contains($0) }
        if members.count == 1 {
          pick = members[0]
        } else if members.count > 1 {
          let typicality = Typicality.scores(features, rows: members, kNN: kNN)
          var best = 0
          for j in 1..<members.count where typicality[j] > typicality[best] { best = j }
          pick = members[best]
        }
      }
      if pick == nil {
        let left = unlabeledRows.filter { remaining.contains($0) }
        pick = left[Int(Shuffle.uniform(below: UInt64(left.count), using: &rng))]
      }
      remaining.remove(pick!)
      selected.append(pick!)
    }
    return selected
  }
}
