// The kinds of job the gateway hands to workers. The raw values are what travels in WorkerHello.job_kinds
// and JobAssignment.job_kind, so a worker and a gateway of the same version agree on them.
public enum JobKind: String, Sendable, CaseIterable, Codable {
  /// A segmentation model on the labeled slices (trainer).
  case train = "Train"
  /// A stored model on a split (trainer).
  case evaluate = "Evaluate"
  /// Class probabilities of a model on slices, optionally with MC dropout (trainer).
  case predict = "Predict"
  /// The contrastive encoder of one seed (embedder).
  case trainEncoder = "TrainEncoder"
  /// Every slice of a dataset through a trained encoder (embedder).
  case embed = "Embed"

  /// The kind an assignment names; an unknown name (a newer gateway) is an error naming what this worker runs.
  public init(assigned name: String, runs kinds: [JobKind], worker: String) throws {
    guard let kind = JobKind(rawValue: name), kinds.contains(kind) else {
      throw ServiceError(
        .unimplemented,
        "the \(worker) does not run '\(name)' jobs; it runs \(kinds.map(\.rawValue).joined(separator: ", "))")
    }
    self = kind
  }
}

extension WorkBroker {
  /// Runs one of ActiveSeg's jobs (the broker itself carries any kind name; tests use their own).
  public func submit(_ kind: JobKind, payload: [UInt8], urgent: Bool = false) async throws -> [UInt8] {
    try await submit(kind: kind.rawValue, payload: payload, urgent: urgent)
  }
}
