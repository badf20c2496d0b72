// One CoreGCN round on pool rows (spec §5.10): build the node list and graph, train the scorer,
// then k-center greedy on [hidden ‖ logit] from the labeled nodes. Returns node positions, so the
// caller decides how they map back to the pool (the quirk switch).

import ActiveLearning
import NeuralNet
import Randomness
import TensorCore

/// What a CoreGCN round computed; positions index `nodeRows`.
public struct CoreGCNRun: Sendable {
  /// Pool row of every node: a seeded permutation of the unlabeled rows, then the labeled rows.
  public var nodeRows: [Int]
  /// Number of unlabeled nodes (they come first).
  public var unlabeledCount: Int
  /// k-center picks as node positions, in selection order.
  public var positions: [Int]
  /// Eval-mode sigmoid score per node (probability of "labeled").
  public var scores: [Float]
  /// Training loss per epoch.
  public var losses: [Double]

  /// Node positions of the labeled nodes.
  public var labeledPositions: [Int] { Array(unlabeledCount..<nodeRows.count) }

  /// Trains CoreGCN on `features` (one row per pool row; L2-normalised here) and picks `budget`
  /// unlabeled nodes. Randomness: the permutation, the init, dropout and k-center's first pick
  /// (only when nothing is labeled) each use a stream drawn from `rng`.
  public static func run(
    features: FeatureMatrix, labeledRows: [Int], unlabeledRows: [Int], budget: Int,
    configuration c: CoreGCNConfiguration, using rng: inout some RandomNumberGenerator
  ) -> CoreGCNRun {
    var permutationRng = SplitMix64(seed: rng.next()), initRng = SplitMix64(seed: rng.next())
    var dropoutRng = SplitMix64(seed: rng.next()), kCenterRng = SplitMix64(seed: rng.next())
    var unlabeled = unlabeledRows
    Shuffle.fisherYates(&unlabeled, using: &permutationRng)
    let nodeRows = unlabeled + labeledRows
    let n = nodeRows.count, f = features.columns
    var raw = [Float](repeating: 0, count: n * f)
    for (k, row) in nodeRows.enumerated() {
      for j in 0..<f { raw[k * f + j] = features.values[row * f + j] }
    }
    let x = GCNAdjacency.l2Normalized(Tensor(shape: [n, f], data: raw))
    let adjacency = GCNAdjacency.normalized(x)
    let aggregated = GCNScorer.aggregate(x, adjacency: adjacency)  // Â·X once: gc1's input never changes
    let scorer = GCNScorer(inputFeatures: f, hiddenUnits: c.hiddenUnits, dropout: c.dropout)
    var store = ParameterStore()
    scorer.register(in: &store, using: &initRng)
    var adam = Adam(learningRate: c.learningRate, weightDecay: c.weightDecay)
    let labeledPositions = Array(unlabeled.count..<n), unlabeledPositions = Array(0..<unlabeled.count)
    var losses: [Double] = []
    for _ in 0..<c.epochs {
      store.zeroGradients()
      let output = scorer(aggregated: aggregated, adjacency: adjacency, store, training: true, using: &dropoutRng)
      let (loss, dScores) = CoreGCNLoss.loss(
        scores: output.scores, labeled: labeledPositions,
        unlabeled: unlabeledPositions, lambda: c.lambda)
      scorer.backward(dScores: dScores, output, adjacency: adjacency, &store)
      adam.update(&store)
      losses.append(loss)
    }
    let output = scorer(aggregated: aggregated, adjacency: adjacency, store, training: false, using: &dropoutRng)
    let embedding = FeatureMatrix(rows: n, columns: c.hiddenUnits + 1, values: GCNScorer.coresetFeatures(output))
    let positions = KCenterGreedy.select(
      metric: EuclideanMetric(features: embedding), labeled: labeledPositions,
      budget: budget, using: &kCenterRng)
    return CoreGCNRun(
      nodeRows: nodeRows, unlabeledCount: unlabeled.count, positions: positions,
      scores: output.scores.data, losses: losses)
  }
}
