// Storage, selector and workers for the orchestration's tests, in memory and deterministic: a model's and an
// encoder's id are a hash of what they were trained on, picks a hash of the request, so a run that repeats a step
// after a crash ends with the same records only if it repeated it with the same inputs. A `Crasher` stops the run
// at its k-th call to any of them, before or after the call takes effect, as a killed gateway would.
import Experiments
import Foundation
import Orchestration
import Randomness
import Synchronization

struct Crash: Error {}

/// Counts calls to the services and throws `Crash` at call `at` (never when nil), remembering which call it was.
final class Crasher: Sendable {
  enum Moment: Sendable { case before, after }
  private let state = Mutex<(calls: Int, at: Int?, moment: Moment, crashed: String?)>((0, nil, .before, nil))

  var calls: Int { state.withLock { $0.calls } }
  /// The call that crashed, e.g. "train".
  var crashed: String? { state.withLock { $0.crashed } }
  func arm(at call: Int?, _ moment: Moment) { state.withLock { $0 = (0, call, moment, nil) } }

  /// Runs `body` as the next call (named `name`), crashing before or after it when that is the armed call.
  func step<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
    let (number, armed, moment) = state.withLock { s -> (Int, Int?, Moment) in
      s.calls += 1
      return (s.calls, s.at, s.moment)
    }
    let crashes = number == armed
    if crashes { state.withLock { $0.crashed = name } }
    if crashes && moment == .before { throw Crash() }
    let value = try await body()
    if crashes && moment == .after { throw Crash() }
    return value
  }
}

/// Hashes values to a positive id.
func stableID(_ parts: [UInt64]) -> Int64 {
  Int64(bitPattern: parts.reduce(0x9E37_79B9) { SplitMix64.derive($0, $1) } >> 1) | 1
}

final class MemoryStore: ExperimentStore {
  struct Key: Hashable {
    let experiment: Int64
    let strategy: String
    let seed: UInt64
    let round: Int
  }
  let poolSize: Int
  let crasher: Crasher
  private let state = Mutex<
    (rounds: [Key: StoredRound], encoders: [Int64: [UInt64: StoredEncoder]], annotations: [Int64: AnnotationReceipt])
  >(([:], [:], [:]))

  init(poolSize: Int, crasher: Crasher) {
    self.poolSize = poolSize
    self.crasher = crasher
  }

  var rounds: [StoredRound] { state.withLock { Array($0.rounds.values) } }
  func encoders(experiment: Int64) -> [UInt64: StoredEncoder] { state.withLock { $0.encoders[experiment] ?? [:] } }
  var annotated: Set<Int64> { state.withLock { Set($0.annotations.keys) } }

  func pool(dataset: Int64) async throws -> [Int64] { Array(1...Int64(poolSize)) }

  func progress(experiment: Int64) async throws -> ExperimentProgress {
    state.withLock { s in
      ExperimentProgress(
        rounds: s.rounds.values.filter { $0.experiment == experiment }, encoders: s.encoders[experiment] ?? [:])
    }
  }

  func save(_ round: StoredRound) async throws {
    try await crasher.step("save") {
      // Stored as storage stores it: as JSON, read back through the record's decoder.
      var stored = round
      stored.record = try RoundRecord.decode(try round.record.json(), state: round.state, round: round.name)
      let key = Key(
        experiment: round.experiment, strategy: round.record.strategy, seed: round.record.seed,
        round: round.record.round)
      state.withLock { $0.rounds[key] = stored }
    }
  }

  func saveEncoder(_ encoder: StoredEncoder, seed: UInt64, experiment: Int64) async throws {
    try await crasher.step("saveEncoder") { state.withLock { $0.encoders[experiment, default: [:]][seed] = encoder } }
  }

  func reveal(_ slices: [Int64], supervision: Supervision) async throws -> [AnnotationReceipt] {
    try await crasher.step("reveal") {
      let receipts = slices.map { annotate($0, annotator: "oracle") }
      return receipts
    }
  }

  /// Stores an annotation of `slice` (as the oracle or a person would) and returns its receipt.
  @discardableResult
  func annotate(_ slice: Int64, annotator: String) -> AnnotationReceipt {
    let receipt = AnnotationReceipt(slice: slice, costSeconds: Double(slice % 7 + 3), labeledPixels: slice % 11 + 40)
    state.withLock { $0.annotations[slice] = receipt }
    return receipt
  }

  func latestAnnotations(_ slices: [Int64]) async throws -> [AnnotationReceipt] {
    try await crasher.step("latestAnnotations") { state.withLock { s in slices.compactMap { s.annotations[$0] } } }
  }
}

/// Picks the `budget` unlabeled slices that rank first under a hash of the whole request, and refuses to pick with
/// models whose predictions of the unlabeled pool were never stored (a score step skipped on resume).
final class HashSelector: SliceSelecting {
  let crasher: Crasher
  let workers: HashWorkers
  let poolSize: Int
  private let count = Mutex(0)

  /// How many selections were made.
  var selections: Int { count.withLock { $0 } }

  init(crasher: Crasher, workers: HashWorkers, poolSize: Int) {
    self.crasher = crasher
    self.workers = workers
    self.poolSize = poolSize
  }

  func select(_ request: SelectionRequest) async throws -> [Int64] {
    try await crasher.step("select") {
      count.withLock { $0 += 1 }
      let labeled = Set(request.labeled)
      let unlabeled = (1...Int64(poolSize)).filter { !labeled.contains($0) }
      for model in request.models where !workers.predicted(model: model, covers: unlabeled) {
        throw SelectionRefused(reason: "model \(model) has not predicted the unlabeled pool")
      }
      let salt = stableID(
        [request.seed, UInt64(request.encoder), UInt64(stableID(request.strategy.utf8.map(UInt64.init)))]
          + request.models.map { UInt64($0) } + request.labeled.sorted().map { UInt64($0) })
      return Array(
        unlabeled.sorted { stableID([UInt64(salt), UInt64($0)]) < stableID([UInt64(salt), UInt64($1)]) }.prefix(
          request.budget))
    }
  }
}

struct SelectionRefused: Error { let reason: String }

/// Trains and predicts instantly; ids are hashes of the inputs, and every job is counted.
final class HashWorkers: WorkerPool {
  let crasher: Crasher
  private let state = Mutex<(encoders: Int, trainings: Int, predictions: [Int64: Set<Int64>])>((0, 0, [:]))

  init(crasher: Crasher) { self.crasher = crasher }

  var encoderTrainings: Int { state.withLock { $0.encoders } }
  var trainings: Int { state.withLock { $0.trainings } }
  func predicted(model: Int64, covers slices: [Int64]) -> Bool {
    state.withLock { s in s.predictions[model].map { Set(slices).isSubset(of: $0) } ?? false }
  }

  func trainEncoder(_ job: EncoderJob) async throws -> TrainedEncoder {
    try await crasher.step("trainEncoder") {
      state.withLock { $0.encoders += 1 }
      return TrainedEncoder(id: stableID([7, job.seed, UInt64(job.dataset)]), seconds: 1)
    }
  }

  func embed(encoder: Int64, dataset: Int64) async throws { try await crasher.step("embed") {} }

  func train(_ job: TrainingJob) async throws -> TrainedModel {
    try await crasher.step("train") {
      state.withLock { $0.trainings += 1 }
      let id = stableID([job.seed, UInt64(job.member)] + job.labeled.map { UInt64($0) })
      let dice = Double(id % 1000) / 1000
      return TrainedModel(
        checkpoint: id,
        metrics: MemberMetrics(validationDice: dice, testClassDice: [dice, 1 - dice], testClassHD95: [2, 3]))
    }
  }

  func predict(_ job: PredictionJob, urgent: Bool) async throws {
    try await crasher.step("predict") {
      state.withLock { $0.predictions[job.model, default: []].formUnion(job.slices) }
    }
  }
}
