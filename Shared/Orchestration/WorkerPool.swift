// What the orchestration needs of the workers: train and apply encoders and segmentation models, on whichever
// trainer or embedder is free. The gateway implements it over its work broker.
import Experiments

public protocol WorkerPool: Sendable {
  /// Trains seed `job.seed`'s contrastive encoder and returns it.
  func trainEncoder(_ job: EncoderJob) async throws -> TrainedEncoder
  /// Embeds every slice of `dataset` with `encoder` (urgent: it completes work begun, ahead of queued jobs).
  func embed(encoder: Int64, dataset: Int64) async throws
  /// Trains one ensemble member and evaluates it on validation and test.
  func train(_ job: TrainingJob) async throws -> TrainedModel
  /// `job.model` predicts `job.slices` and storage keeps the result (a repeat replaces it).
  func predict(_ job: PredictionJob, urgent: Bool) async throws
}

public struct EncoderJob: Sendable, Hashable {
  public var dataset: Int64
  public var preset: String
  public var experiment: Int64
  public var seed: UInt64

  public init(dataset: Int64, preset: String, experiment: Int64, seed: UInt64) {
    self.dataset = dataset
    self.preset = preset
    self.experiment = experiment
    self.seed = seed
  }
}

public struct TrainedEncoder: Sendable, Hashable {
  public var id: Int64
  public var seconds: Double

  public init(id: Int64, seconds: Double) {
    self.id = id
    self.seconds = seconds
  }
}

public struct TrainingJob: Sendable, Hashable {
  public var dataset: Int64
  /// Sorted: a model depends on the labeled set, not on the order it was picked in.
  public var labeled: [Int64]
  public var supervision: Supervision
  public var preset: String
  public var seed: UInt64
  public var member: Int
  public var experiment: Int64
  public var labeledFraction: Double

  public init(
    dataset: Int64, labeled: [Int64], supervision: Supervision, preset: String, seed: UInt64, member: Int,
    experiment: Int64, labeledFraction: Double
  ) {
    self.dataset = dataset
    self.labeled = labeled
    self.supervision = supervision
    self.preset = preset
    self.seed = seed
    self.member = member
    self.experiment = experiment
    self.labeledFraction = labeledFraction
  }
}

public struct TrainedModel: Sendable, Hashable {
  public var checkpoint: Int64
  public var metrics: MemberMetrics

  public init(checkpoint: Int64, metrics: MemberMetrics) {
    self.checkpoint = checkpoint
    self.metrics = metrics
  }
}

public struct PredictionJob: Sendable, Hashable {
  public var model: Int64
  public var slices: [Int64]
  /// Monte-Carlo-dropout passes; 0 = one deterministic pass.
  public var mcPasses: Int
  public var seed: UInt64

  public init(model: Int64, slices: [Int64], mcPasses: Int, seed: UInt64) {
    self.model = model
    self.slices = slices
    self.mcPasses = mcPasses
    self.seed = seed
  }
}
