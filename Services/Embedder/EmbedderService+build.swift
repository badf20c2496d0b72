// Wires the embedder worker: Health on its control socket, TrainEncoder and Embed jobs from the gateway.
import Foundation
import Logging
import Messaging
import NeuralNet
import ServiceKit

enum EmbedderService {
  static let keys = WorkerKeys(service: "embedder")
  static let pretrained = ConfigKey(
    "embedder.pretrained", env: "EMBEDDER_PRETRAINED", .string, default: "",
    "a .safetensors file of pretrained encoder weights (e.g. ImageNet ResNet-18) to start from; empty = random init")
  static let pretrainedPrefix = ConfigKey(
    "embedder.pretrained_prefix", env: "EMBEDDER_PRETRAINED_PREFIX", .string, default: "encoder.",
    "prefix added to the file's tensor names to match ours (torchvision resnet18 names need encoder.)")
  static let allKeys = keys.all + [pretrained, pretrainedPrefix]
  static let jobKinds: [JobKind] = [.trainEncoder, .embed]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let security = try ServiceSecurity(config: config, service: "embedder")
    let storage = StorageClient(
      channel: try ZMQChannel(
        connect: config.string(keys.storage), logger: logger,
        security: try security.client(of: "storage")), caller: "embedder")
    let jobs = EmbedderJobs(
      storage: storage, logger: logger,
      pretrained: try loadPretrained(config.string(pretrained), prefix: config.string(pretrainedPrefix)))
    return try WorkerRuntime.build(
      service: "embedder", keys: keys, config: config, security: security, logger: logger, jobKinds: jobKinds
    ) { assignment, progress in
      try await jobs.handle(assignment, progress: progress)
    }
  }

  /// The pretrained weights file, read once at start-up; a missing or unreadable file stops the service with its name.
  static func loadPretrained(_ path: String, prefix: String) throws -> ParameterStore? {
    guard !path.isEmpty else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ServiceError(
        .invalidArgument,
        "--pretrained \(path) does not exist or cannot be read; pass a .safetensors file on this machine")
    }
    do { return try Safetensors.decode([UInt8](data), prefix: prefix, file: path) } catch {
      throw ServiceError(.invalidArgument, "--pretrained: \(error)")
    }
  }
}
