// Where an experiment stands; raw values are what storage keeps in experiments.state.
public enum ExperimentState: String, Sendable, CaseIterable {
  /// Created and running, or interrupted with the gateway (the next gateway resumes it).
  case running
  /// Every run finished.
  case done
  /// A step failed; the error is in the gateway's log and on the experiment's topic.
  case failed
  /// Stopped by a caller; `experiment resume` continues it.
  case cancelled
}
