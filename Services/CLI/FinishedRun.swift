// One run (strategy and seed) of an experiment as it stood after its last finished round, read from the round
// records storage keeps: what export and segment start from.
import Experiments
import Foundation
import Messaging
import Orchestration
import ServiceKit

struct FinishedRun {
  let experiment: Int64
  let definition: ExperimentDefinition
  let strategy: String
  let seed: UInt64
  let round: Int
  /// Every slice labeled after that round.
  let labeled: [Int64]
  /// The round's models, one per ensemble member.
  let checkpoints: [Int64]

  var label: String { "experiment \(experiment) \(strategy) seed \(seed) round \(round)" }

  /// The run of `strategy` (default: the experiment's first) and `seed` (default: its first), after its last
  /// finished round; clear errors for an unknown strategy or seed and for a run with no finished round.
  static func latest(experiment id: Int64, strategy: String?, seed: UInt64?, storage: StorageClient) async throws
    -> FinishedRun
  {
    let stored = try await storage.experiment(id)
    let definition = try ExperimentDefinition(yaml: stored.configYAML)
    let label = strategy ?? definition.strategies.first?.label ?? ""
    guard definition.strategy(labeled: label) != nil else {
      throw ServiceError(
        .invalidArgument,
        "experiment \(id) has no strategy '\(label)'; it has \(definition.strategies.map(\.label).joined(separator: ", "))"
      )
    }
    let chosenSeed = seed ?? definition.seeds.first ?? 0
    guard definition.seeds.contains(chosenSeed) else {
      throw ServiceError(
        .invalidArgument,
        "experiment \(id) has no seed \(chosenSeed); it runs seeds \(definition.seeds.map(String.init).joined(separator: ", "))"
      )
    }
    let records = try await storage.rounds(experiment: id)
      .filter { $0.state == "done" && $0.strategy == label && $0.seed == chosenSeed }
      .map { stored in
        try RoundRecord.decode(
          stored.payloadJSON, round: "round \(stored.index) of \(label) seed \(chosenSeed) in experiment \(id)")
      }
    guard let last = records.max(by: { $0.round < $1.round }) else {
      throw ServiceError(
        .failedPrecondition,
        "experiment \(id) has no finished round of \(label) seed \(chosenSeed) yet; wait for one (activeseg experiment status \(id))"
      )
    }
    return FinishedRun(
      experiment: id, definition: definition, strategy: label, seed: chosenSeed, round: last.round,
      labeled: last.labeled, checkpoints: last.checkpoints)
  }
}
