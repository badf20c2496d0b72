// The strategy names an experiment may list, the strategies the selector runs, and what each reads are one
// registry: a strategy added in one place and not the others fails here, not in the middle of a run.
import ActiveLearning
import Experiments
import LearnedSelection
import Testing

@Suite struct StrategyRegistryTests {
  @Test func everyNamedStrategyRunsInTheSelectorAndEveryRunnableOneHasAName() {
    let runnable = (Strategies.all + LearnedStrategies.all).map(\.name)
    #expect(Set(runnable).count == runnable.count, "no name is registered twice")
    #expect(Set(runnable) == Set(StrategyName.allCases.map(\.rawValue)))
  }

  /// A strategy's inputs are its own: the round plan of each strategy (its encoder step, its score step) is the
  /// same alone as beside every other strategy, since both come from its inputs only.
  @Test func aStrategysInputsAndStepsDoNotDependOnItsNeighbours() throws {
    for strategy in StrategyName.allCases {
      let alone = try ExperimentDefinition(yaml: "dataset: d\nstrategies: [\(strategy.rawValue)]\n")
      let all = try ExperimentDefinition(
        yaml: "dataset: d\nstrategies: [\(StrategyName.allCases.map(\.rawValue).joined(separator: ", "))]\n")
      let spec = try #require(all.strategies.first { $0.name == strategy })
      #expect(
        alone.roundPlan(for: alone.strategies[0]).allSteps == all.roundPlan(for: spec).allSteps, "\(strategy.rawValue)")
      #expect(strategy.needsEmbedding == strategy.inputs.contains(.embeddings))
    }
    #expect(StrategyName.coregcn.inputs == [.pixels], "CoreGCN reads pixels whatever else the definition lists")
    #expect(
      StrategyName.allCases.filter(\.needsEmbedding) == [.coresetEmbedding, .ours, .oursProbabilistic, .typiclust])
    #expect(
      StrategyName.allCases.filter(\.needsPredictions) == [
        .foregroundRandom, .entropy, .varianceRatio, .stochasticBatches, .bald
      ])
  }
}
