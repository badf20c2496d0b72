// Strategy parameters of a Select request: the "ours" strategies take `faithful_pixel_term`; the
// others take none.
import ActiveLearning
import Messaging
import Protos

extension SelectorHandlers {
  /// The parameter that switches "ours" to the published pixel term (spec §4.2 QUIRK policy).
  static let faithfulPixelTerm = "faithful_pixel_term"

  /// `strategy` with `parameters` applied. `faithful_pixel_term` = `true` | `false` (default false:
  /// the fixed pixel term of `OursDistanceConfiguration`) is accepted by "ours" and "ours-probabilistic".
  static func applying(_ parameters: [Activeseg_V1_StrategyParameter], to strategy: any SelectionStrategy) throws
    -> any SelectionStrategy
  {
    var strategy = strategy
    for parameter in parameters {
      guard parameter.key == faithfulPixelTerm, let coreset = strategy as? KCenterGreedySelection,
        let value = Bool(parameter.value), let switched = coreset.withFaithfulPixelTerm(value)
      else {
        let accepted =
          (strategy as? KCenterGreedySelection)?.withFaithfulPixelTerm(false) != nil
          ? "it takes only \(faithfulPixelTerm)=true|false" : "it takes no parameters"
        throw ServiceError(
          .invalidArgument,
          "strategy '\(strategy.name)' does not accept \(parameter.key)=\(parameter.value); \(accepted)")
      }
      strategy = switched
    }
    return strategy
  }
}
