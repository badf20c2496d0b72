// Wires the embedder worker: Health on its control socket and the job kinds it serves.
import Logging
import Messaging
import ServiceKit

enum EmbedderService {
  static let keys = WorkerKeys(service: "embedder")
  /// Job kinds this build serves. TrainEncoder and Embed arrive with metric learning (issue 5).
  static let jobKinds: [String] = []

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    try WorkerRuntime.build(service: "embedder", keys: keys, config: config, logger: logger, jobKinds: jobKinds) { assignment, _ in
      throw ServiceError(.unimplemented, "embedder job kind '\(assignment.jobKind)' is not served by this version")
    }
  }
}
