// The learned baselines by registry name. ActiveLearning's `Strategies` cannot list them (this
// module depends on it), so a selector registers `Strategies.all + LearnedStrategies.all`.

import ActiveLearning

/// The learned selection strategies with their default settings.
public enum LearnedStrategies {
  /// VAAL ("vaal") and CoreGCN ("coregcn"), both with the bug-fixed quirk settings.
  public static let all: [any SelectionStrategy] = [VAALSelection(), CoreGCNSelection()]

  /// Registered names, in registry order.
  public static var names: [String] { all.map(\.name) }
}
