// Wires the trainer worker: Health on its control socket and the job kinds it serves.
import Logging
import Messaging
import ServiceKit

enum TrainerService {
  static let keys = WorkerKeys(service: "trainer")
  /// Job kinds this build serves. Train, Evaluate and Predict arrive with the tensor core (issue 4).
  static let jobKinds: [String] = []

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    try WorkerRuntime.build(service: "trainer", keys: keys, config: config, logger: logger, jobKinds: jobKinds) { assignment, _ in
      throw ServiceError(.unimplemented, "trainer job kind '\(assignment.jobKind)' is not served by this version")
    }
  }
}
