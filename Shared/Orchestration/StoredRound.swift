// A round as storage keeps it for the orchestration: its record and how far it got, and what an experiment
// has persisted as a whole (its rounds and each seed's contrastive encoder), read back to resume.
import Experiments

public struct StoredRound: Sendable, Hashable {
  /// How far a round got; raw values are the persisted strings.
  public enum State: String, Sendable, CaseIterable {
    /// The picks are chosen (and recorded), not yet annotated and trained on.
    case selected
    /// The models exist and are evaluated; scoring the pool for the next round may remain.
    case trained
    /// Every step of the round finished.
    case done
  }

  public var experiment: Int64
  public var state: State
  /// The last step that finished.
  public var step: RoundStep.Kind
  public var record: RoundRecord

  public init(experiment: Int64, state: State, step: RoundStep.Kind, record: RoundRecord) {
    self.experiment = experiment
    self.state = state
    self.step = step
    self.record = record
  }

  /// Names the round in messages.
  public var name: String { "experiment \(experiment) \(record.strategy)/seed\(record.seed) round \(record.round)" }
}

/// Everything an experiment has persisted, as a resume reads it.
public struct ExperimentProgress: Sendable, Hashable {
  public var rounds: [StoredRound]
  /// Each seed's trained contrastive encoder.
  public var encoders: [UInt64: StoredEncoder]

  public init(rounds: [StoredRound] = [], encoders: [UInt64: StoredEncoder] = [:]) {
    self.rounds = rounds
    self.encoders = encoders
  }

  /// The finished rounds' records.
  public var finished: [RoundRecord] { records(.done) }

  /// The records of the rounds in `state`.
  public func records(_ state: StoredRound.State) -> [RoundRecord] {
    rounds.filter { $0.state == state }.map(\.record)
  }

  /// The latest state of run (strategy `label`, `seed`): its finished rounds in order, and the round after them
  /// when it got part of the way (selected or trained).
  func run(_ label: String, seed: UInt64) -> (finished: [RoundRecord], partial: StoredRound?) {
    let mine = rounds.filter { $0.record.strategy == label && $0.record.seed == seed }
    let finished = mine.filter { $0.state == .done }.map(\.record).sorted { $0.round < $1.round }
    let partial = mine.first { $0.state != .done && $0.record.round == finished.count }
    return (finished, partial)
  }
}

/// A seed's contrastive encoder as persisted: saved once trained, and again once every slice is embedded with it.
public struct StoredEncoder: Codable, Sendable, Hashable {
  public var schema: Int = RoundRecord.currentSchema
  public var id: Int64
  public var embedded: Bool

  public init(id: Int64, embedded: Bool) {
    self.id = id
    self.embedded = embedded
  }
}
