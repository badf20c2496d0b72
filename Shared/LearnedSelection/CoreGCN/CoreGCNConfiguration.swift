// Settings of the CoreGCN baseline (method spec §5.10; Caramalau et al. 2021, "Sequential GCN for
// Active Learning"): GCN size and training, the random start, and the node-index quirk switch.

import ActiveLearning

/// CoreGCN hyper-parameters (defaults = the spec's yml values).
///
/// | key | default | spec |
/// |---|---|---|
/// | `hiddenUnits` | 128 | `hidden_units` 128 |
/// | `dropout` | 0.3 | `dropout_rate` 0.3 |
/// | `learningRate` / `weightDecay` | 1e-3 / 5e-4 (Adam, L2) | `lr_gcn`, `wdecay` |
/// | `lambda` | 1.2 | `lambda_loss` 1.2 |
/// | `epochs` | 200 | `num_epochs_gcn` 200 |
/// | `startingSample` | 10 | yml `starting_sample` 10 (random start) |
/// | `indexing` | `.fixed` | `.faithful` [QUIRK] |
public struct CoreGCNConfiguration: Sendable, Equatable, Codable {
  /// How k-center picks (positions in the GCN's node list) become pool rows.
  public enum Indexing: String, Sendable, Equatable, Codable {
    /// As the published code: the node position itself is used as a pool row, then the ranked
    /// split of spec §1.5 drops labeled rows and fills the budget with score-0 rows in pool order.
    /// The picks are effectively arbitrary unlabeled slices.
    case faithful
    /// Positions are mapped back through the node list (permuted unlabeled rows, then labeled rows).
    case fixed
  }

  /// Width of gc1.
  public var hiddenUnits: Int
  /// Dropout probability after gc1's ReLU during training.
  public var dropout: Float
  /// Adam learning rate.
  public var learningRate: Float
  /// Adam's L2 weight decay (added to the gradient, as `torch.optim.Adam`).
  public var weightDecay: Float
  /// Weight of the unlabeled term of the loss.
  public var lambda: Float
  /// Full-batch training epochs.
  public var epochs: Int
  /// While fewer slices than this are labeled, the first `startingSample − |L|` picks are random.
  public var startingSample: Int
  /// The quirk switch for mapping picks to pool rows.
  public var indexing: Indexing

  public init(
    hiddenUnits: Int = 128, dropout: Float = 0.3, learningRate: Float = 1e-3, weightDecay: Float = 5e-4,
    lambda: Float = 1.2, epochs: Int = 200, startingSample: Int = 10, indexing: Indexing = .fixed
  ) {
    self.hiddenUnits = hiddenUnits
    self.dropout = dropout
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.lambda = lambda
    self.epochs = epochs
    self.startingSample = startingSample
    self.indexing = indexing
  }

  /// Throws `invalidArgument` naming the first setting out of range.
  public func validate() throws(SelectionError) {
    func fail(_ message: String) -> SelectionError {
      SelectionError(code: .invalidArgument, message: "CoreGCN: \(message)")
    }
    guard hiddenUnits > 0 else { throw fail("hiddenUnits must be positive, got \(hiddenUnits)") }
    guard dropout >= 0 && dropout < 1 else { throw fail("dropout must be in [0, 1), got \(dropout)") }
    guard epochs >= 0, startingSample >= 0 else { throw fail("epochs and startingSample must be ≥ 0") }
  }
}
