// Fuzzes the experiment-definition parser (YAML -> ExperimentDefinition, with its checks) and the derived
// values the gateway computes next (the budget check and each round's labelled count), as the gateway runs them on a submitted definition.
// Every failure must be an ExperimentError. Input: the definition's text (invalid UTF-8 is repaired, as
// String(decoding:) does for a request's config_yaml).
import Experiments
import FuzzSupport

@main enum FuzzYAML {
  static func main() {
    FuzzEntry.main { input in
      expectOnly(ExperimentError.self) {
        let definition = try ExperimentDefinition(yaml: String(decoding: input, as: UTF8.self))
        for poolSize in [1, 1_454] {
          try? definition.checkBudgets(poolSize: poolSize)
          for round in definition.schedule.cumulative.indices {
            _ = definition.schedule.labeledCount(poolSize: poolSize, round: round)
          }
        }
      }
    }
  }
}
