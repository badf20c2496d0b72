// Wires the selector service: its configuration keys and the methods on its ROUTER socket.
import Logging
import Messaging
import ServiceKit

enum SelectorService {
  static let bind = ConfigKey(
    "selector.bind", env: "SELECTOR_BIND", .endpoint, default: "tcp://127.0.0.1:5554",
    "where the selector service listens")
  static let storage = ConfigKey(
    "selector.storage", env: "SELECTOR_STORAGE", .endpoint, default: "tcp://127.0.0.1:5553",
    "the storage service's endpoint")
  static let poolCacheMB = ConfigKey(
    "selector.pool_cache_mb", env: "SELECTOR_POOL_CACHE_MB", .int, default: "2048",
    "megabytes the pool's pixels may take when kept between Selects (two copies: row- and pixel-major); 0 keeps none")
  static let keys = [bind, storage, poolCacheMB]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let security = try ServiceSecurity(config: config, service: "selector")
    let endpoint = EndpointBox()
    var router = RPCRouter()
    router.registerHealth(
      service: "selector", method: "Selector/Health", endpoint: { endpoint.value },
      fill: { $0.detail = "storage \(config.string(storage))" })
    let storageClient = StorageClient(
      channel: try ZMQChannel(
        connect: config.string(storage), logger: logger,
        security: try security.client(of: "storage")), caller: "selector")
    let cache = PoolPixelCache(limitBytes: max(0, config.int(poolCacheMB)) << 20)
    SelectorHandlers(storage: storageClient, cache: cache, logger: logger).register(on: &router)
    let server = try RPCServer(
      bind: config.string(bind), router: router, logger: logger,
      security: security.server(), limits: security.limits)
    endpoint.value = server.endpoint
    return BuiltService(parts: [RPCServerService(server)], endpoints: ["rpc": server.endpoint])
  }
}
