// What trainer and embedder workers share: their configuration keys, a control socket answering Health,
// and the connection to the gateway's work socket.
import Foundation
import Logging
import Messaging

/// The configuration keys of a worker service, named by its prefix (`trainer`, `embedder`).
public struct WorkerKeys: Sendable {
  public let gateway: ConfigKey
  public let storage: ConfigKey
  public let controlBind: ConfigKey
  public let id: ConfigKey
  public let heartbeatMs: ConfigKey
  public let heartbeatTimeoutMs: ConfigKey

  public init(service: String) {
    let env = service.uppercased()
    gateway = ConfigKey(
      "\(service).gateway", env: "\(env)_GATEWAY", .endpoint, default: "tcp://127.0.0.1:5551",
      "the gateway's work socket to connect to")
    storage = ConfigKey(
      "\(service).storage", env: "\(env)_STORAGE", .endpoint, default: "tcp://127.0.0.1:5553",
      "the storage service's endpoint")
    controlBind = ConfigKey(
      "\(service).control_bind", env: "\(env)_CONTROL_BIND", .endpoint, default: "tcp://127.0.0.1:*",
      "where this worker answers Health (* = any free port)")
    id = ConfigKey(
      "\(service).id", env: "\(env)_ID", .string, default: "",
      "the worker's unique id (default: <service>-<host>-<pid>)")
    heartbeatMs = ConfigKey(
      "\(service).heartbeat_ms", env: "\(env)_HEARTBEAT_MS", .int, default: "500",
      "milliseconds between heartbeats to the gateway")
    heartbeatTimeoutMs = ConfigKey(
      "\(service).heartbeat_timeout_ms", env: "\(env)_HEARTBEAT_TIMEOUT_MS", .int, default: "3000",
      "reconnect when the gateway has been silent this long")
  }

  public var all: [ConfigKey] { [gateway, storage, controlBind, id, heartbeatMs, heartbeatTimeoutMs] }
}

public enum WorkerRuntime {
  /// Builds a worker: its Health socket plus its connection to the gateway, offering `jobKinds` to `handler`.
  public static func build(
    service: String, keys: WorkerKeys, config: ConfigReader, security: ServiceSecurity = ServiceSecurity(),
    logger: Logger,
    jobKinds: [JobKind], handler: @escaping JobHandler
  ) throws -> BuiltService {
    let host = ProcessInfo.processInfo.hostName
    let id = config.string(keys.id).isEmpty ? "\(service)-\(host)-\(getpid())" : config.string(keys.id)
    var options = WorkOptions()
    options.heartbeatInterval = .milliseconds(config.int(keys.heartbeatMs))
    options.heartbeatTimeout = .milliseconds(config.int(keys.heartbeatTimeoutMs))

    let endpointBox = EndpointBox()
    var router = RPCRouter()
    router.registerHealth(
      service: service, method: "\(service.capitalized)/Health", endpoint: { endpointBox.value },
      fill: { $0.detail = "worker \(id) -> \(config.string(keys.gateway))" })
    let control = try RPCServer(
      bind: config.string(keys.controlBind), router: router, logger: logger,
      security: security.server(), limits: security.limits)
    endpointBox.value = control.endpoint

    var hello = WorkerHello()
    hello.workerID = id
    hello.kind = service
    hello.host = host
    hello.jobKinds = jobKinds.map(\.rawValue)
    hello.version = ActiveSegVersion.current
    hello.controlEndpoint = control.endpoint
    let connection = WorkerConnection(
      gateway: config.string(keys.gateway), hello: hello, options: options,
      logger: logger, security: try security.client(of: "gateway"), handler: handler)
    return BuiltService(
      parts: [RPCServerService(control), WorkerConnectionService(connection)],
      endpoints: ["control": control.endpoint, "worker": id])
  }
}

/// A value set once at start-up and read by handlers afterwards.
public final class EndpointBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stored = ""
  public init() {}
  public var value: String {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
}
