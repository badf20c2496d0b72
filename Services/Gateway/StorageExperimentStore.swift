// The orchestration's store over the storage service: rounds are Round rows (state, step, the record as JSON),
// a seed's encoder is a row of its own under the reserved strategy label "@encoder", and the annotators' live
// leases one row per experiment under "@leases". Protobuf types stop in StorageClient.
import Experiments
import Foundation
import Messaging
import Orchestration
import ServiceKit

struct StorageExperimentStore: ExperimentStore, LeaseJournal {
  let storage: StorageClient
  /// The strategy label of encoder rows (definitions may not use labels beginning with "@").
  static let encoderLabel = "@encoder"
  static let leasesLabel = "@leases"

  /// The leases row's payload.
  private struct Leases: Codable {
    var schema = RoundRecord.currentSchema
    var leases: [StoredLease]
  }

  func pool(dataset: Int64) async throws -> [Int64] {
    try await storage.slices(dataset: dataset, split: .train).map(\.id)
  }

  func progress(experiment id: Int64) async throws -> ExperimentProgress {
    var progress = ExperimentProgress()
    for row in try await storage.rounds(experiment: id) {
      let name = "experiment \(id) \(row.strategy)/seed\(row.seed) round \(row.index)"
      if row.strategy == Self.encoderLabel {
        do {
          progress.encoders[row.seed] = try JSONDecoder().decode(StoredEncoder.self, from: Data(row.payloadJSON.utf8))
        } catch {
          throw ServiceError(
            .internal, "the stored encoder of experiment \(id) seed \(row.seed) does not decode (\(error))",
            cause: error)
        }
        continue
      }
      if row.strategy == Self.leasesLabel { continue }
      guard let state = StoredRound.State(rawValue: row.state), let step = RoundStep.Kind(rawValue: row.step) else {
        throw ServiceError(
          .internal,
          "the stored \(name) has state '\(row.state)' and step '\(row.step)', which no gateway writes; delete the experiment's rounds or run it again"
        )
      }
      let record = try RoundRecord.decode(row.payloadJSON, state: state, round: name)
      progress.rounds.append(StoredRound(experiment: id, state: state, step: step, record: record))
    }
    return progress
  }

  func save(_ round: StoredRound) async throws {
    let row = RoundRow(
      experimentID: round.experiment, index: round.record.round, strategy: round.record.strategy,
      seed: round.record.seed, state: round.state.rawValue, step: round.step.rawValue,
      payloadJSON: try round.record.json())
    try await storage.putRound(row, actor: "gateway")
  }

  func saveEncoder(_ encoder: StoredEncoder, seed: UInt64, experiment: Int64) async throws {
    let row = RoundRow(
      experimentID: experiment, index: 0, strategy: Self.encoderLabel, seed: seed,
      state: encoder.embedded ? "done" : "trained", step: "embed",
      payloadJSON: String(decoding: try JSONEncoder().encode(encoder), as: UTF8.self))
    try await storage.putRound(row, actor: "gateway")
  }

  func leases(experiment: Int64) async throws -> [StoredLease] {
    guard let row = try await storage.rounds(experiment: experiment).first(where: { $0.strategy == Self.leasesLabel })
    else { return [] }
    do {
      return try JSONDecoder().decode(Leases.self, from: Data(row.payloadJSON.utf8)).leases
    } catch {
      throw ServiceError(
        .internal, "the stored annotation leases of experiment \(experiment) do not decode (\(error))", cause: error)
    }
  }

  func saveLeases(_ leases: [StoredLease], experiment: Int64) async throws {
    let row = RoundRow(
      experimentID: experiment, index: 0, strategy: Self.leasesLabel, seed: 0, state: "selected", step: "annotate",
      payloadJSON: String(decoding: try JSONEncoder().encode(Leases(leases: leases)), as: UTF8.self))
    // Annotators wait on this write: 3 s per attempt, not the 300 s of other writes, when storage is restarting.
    try await storage.putRound(row, actor: "gateway", retryingEvery: .seconds(3))
  }

  func reveal(_ slices: [Int64], supervision: Supervision) async throws -> [AnnotationReceipt] {
    try await storage.reveal(slices, kind: supervision, annotator: "oracle").map(Self.receipt)
  }

  func latestAnnotations(_ slices: [Int64]) async throws -> [AnnotationReceipt] {
    try await storage.latestAnnotations(slices).map(Self.receipt)
  }

  static func receipt(_ annotation: StoredAnnotation) -> AnnotationReceipt {
    AnnotationReceipt(
      slice: annotation.sliceID, costSeconds: annotation.costSeconds, labeledPixels: annotation.labeledPixels)
  }
}
