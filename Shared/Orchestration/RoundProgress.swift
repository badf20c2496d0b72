// A line of an experiment's progress, for its topic's subscribers (the gateway publishes it as a ProgressEvent).
public struct RoundProgress: Sendable, Hashable {
  /// "experiment-<id>".
  public var topic: String
  /// The step it reports: embed, select, annotate, train, score, evaluate.
  public var step: String
  /// The round, or -1 for an experiment-wide step (the encoder).
  public var round: Int
  public var message: String

  public init(topic: String, step: String, round: Int, message: String) {
    self.topic = topic
    self.step = step
    self.round = round
    self.message = message
  }
}
