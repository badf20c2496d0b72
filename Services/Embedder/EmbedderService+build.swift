// Wires the embedder worker: Health on its control socket, TrainEncoder and Embed jobs from the gateway.
import Logging
import Messaging
import ServiceKit

enum EmbedderService {
  static let keys = WorkerKeys(service: "embedder")
  static let jobKinds = ["TrainEncoder", "Embed"]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let security = try ServiceSecurity(config: config, service: "embedder")
    let storage = StorageClient(channel: try ZMQChannel(connect: config.string(keys.storage), logger: logger,
                                                        security: try security.client(of: "storage")), caller: "embedder")
    let jobs = EmbedderJobs(storage: storage, logger: logger)
    return try WorkerRuntime.build(service: "embedder", keys: keys, config: config, security: security, logger: logger, jobKinds: jobKinds) { assignment, progress in
      try await jobs.handle(assignment, progress: progress)
    }
  }
}
