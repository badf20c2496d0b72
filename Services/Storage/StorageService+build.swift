// Wires the storage service: its configuration keys, the database, and the methods on its ROUTER socket.
import Logging
import Messaging
import Persistence
import ServiceKit

enum StorageService {
  static let bind = ConfigKey(
    "storage.bind", env: "STORAGE_BIND", .endpoint, default: "tcp://127.0.0.1:5553",
    "where the storage service listens")
  static let database = ConfigKey(
    "storage.database", env: "STORAGE_DATABASE", .path, default: "activeseg.sqlite",
    "the SQLite database file (created if missing)")
  static let keys = [bind, database]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let security = try ServiceSecurity(config: config, service: "storage")
    let store = try Store(path: config.string(database))
    let endpoint = EndpointBox()
    var router = RPCRouter()
    router.registerHealth(
      service: "storage", method: "Storage/Health", endpoint: { endpoint.value },
      fill: { $0.detail = "database \(config.string(database))" })
    StorageHandlers(store: store, logger: logger).register(on: &router)
    let server = try RPCServer(
      bind: config.string(bind), router: router, logger: logger,
      security: security.server(), limits: security.limits)
    endpoint.value = server.endpoint
    logger.info("database open", metadata: ["path": "\(config.string(database))", "secure": "\(security.enabled)"])
    return BuiltService(parts: [RPCServerService(server)], endpoints: ["rpc": server.endpoint])
  }
}
