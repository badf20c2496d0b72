// Wires the trainer worker: Health on its control socket and the Train, Evaluate and Predict jobs.
import Logging
import Messaging
import ServiceKit
import TensorCore

enum TrainerService {
  static let keys = WorkerKeys(service: "trainer")
  static let jobKinds: [JobKind] = [.train, .evaluate, .predict]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    Allocator.retainLargeBuffers()
    let security = try ServiceSecurity(config: config, service: "trainer")
    let storage = StorageClient(
      channel: try ZMQChannel(
        connect: config.string(keys.storage), logger: logger,
        security: try security.client(of: "storage")), caller: "trainer")
    let jobs = TrainerJobs(storage: storage, logger: logger)
    return try WorkerRuntime.build(
      service: "trainer", keys: keys, config: config, security: security, logger: logger, jobKinds: jobKinds
    ) { assignment, progress in
      try await jobs.handle(assignment, progress: progress)
    }
  }
}
