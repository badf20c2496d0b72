// What the orchestration needs of storage, in domain types: the pool, the persisted progress, and the labels.
// The gateway implements it over the storage service; the protobuf types stay at that boundary.
import Experiments

public protocol ExperimentStore: Sendable {
  /// The ids of the dataset's training slices: the pool strategies pick from.
  func pool(dataset: Int64) async throws -> [Int64]
  /// What the experiment persisted; a record that cannot be read is an error naming it.
  func progress(experiment: Int64) async throws -> ExperimentProgress
  /// Creates or replaces the round with the same experiment, strategy, seed and index.
  func save(_ round: StoredRound) async throws
  /// Records seed `seed`'s encoder, so a resumed experiment uses it instead of training another.
  func saveEncoder(_ encoder: StoredEncoder, seed: UInt64, experiment: Int64) async throws
  /// The oracle: stores the ground truth of `slices` as annotations of `supervision` and returns what each cost.
  func reveal(_ slices: [Int64], supervision: Supervision) async throws -> [AnnotationReceipt]
  /// The latest stored annotation of each of `slices` that has one.
  func latestAnnotations(_ slices: [Int64]) async throws -> [AnnotationReceipt]
}

/// What an annotation of a slice cost: the figures a round's record adds up.
public struct AnnotationReceipt: Sendable, Hashable {
  public var slice: Int64
  public var costSeconds: Double
  public var labeledPixels: Int64

  public init(slice: Int64, costSeconds: Double, labeledPixels: Int64) {
    self.slice = slice
    self.costSeconds = costSeconds
    self.labeledPixels = labeledPixels
  }
}
