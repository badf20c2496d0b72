// Wires the web service: the sign-in token list, a ZeroMQ channel to the gateway (CurveZMQ with the web
// service's own key when --secure), and the Hummingbird HTTP server for the page and its JSON API.
import Foundation
import Glibc
import Hummingbird
import Logging
import Messaging
import ServiceKit

enum WebService {
  static let host = ConfigKey(
    "web.host", env: "WEB_HOST", .string, default: "127.0.0.1",
    "address the HTTP server binds (0.0.0.0 serves other machines)")
  static let port = ConfigKey(
    "web.port", env: "WEB_PORT", .int, default: "8080",
    "HTTP port of the annotation page (0: a free port, printed in READY http=...)")
  static let gateway = ConfigKey(
    "web.gateway", env: "WEB_GATEWAY", .endpoint, default: "tcp://127.0.0.1:5550",
    "the gateway's request endpoint")
  static let tokens = ConfigKey(
    "web.tokens", env: "WEB_TOKENS", .path, default: ".activeseg/web-tokens",
    "sign-in tokens, '<token> <annotator>' per line (make them with `activeseg keys web-token`); re-read when it changes"
  )
  static let experiment = ConfigKey(
    "web.experiment", env: "WEB_EXPERIMENT", .int, default: "0",
    "the experiment the sign-in page proposes (0: the annotator types it)")
  static let neighbours = ConfigKey(
    "web.neighbours", env: "WEB_NEIGHBOURS", .int, default: "2",
    "neighbouring slices shown on each side of the leased one (0 to 8)")
  static let controlBind = ConfigKey(
    "web.control_bind", env: "WEB_CONTROL_BIND", .endpoint, default: "tcp://127.0.0.1:*",
    "ZeroMQ endpoint answering Web/Health, for `activeseg status` (port * = any free port)")
  static let keys = [host, port, gateway, tokens, experiment, neighbours, controlBind]

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let neighbourCount = config.int(neighbours)
    guard (0...8).contains(neighbourCount) else {
      throw ServiceError(.invalidArgument, "--neighbours must be 0 to 8 slices on each side, got \(neighbourCount)")
    }
    let security = try ServiceSecurity(config: config, service: "web")
    let tokenList = try TokenList(path: config.string(tokens), logger: logger)
    let channel = try ZMQChannel(
      connect: config.string(gateway), logger: logger, security: try security.client(of: "gateway"))
    let api = AnnotationAPI(
      gateway: channel, tokens: tokenList, neighbours: Int32(neighbourCount),
      defaultExperiment: Int64(config.int(experiment)), logger: logger)
    let router = Router()
    api.register(on: router)
    let bindHost = config.string(host)
    let boundPort = try config.int(port) == 0 ? freePort(host: bindHost) : config.int(port)
    let app = Application(
      router: router, configuration: ApplicationConfiguration(address: .hostname(bindHost, port: boundPort)),
      logger: logger)
    let shown = bindHost == "0.0.0.0" ? "127.0.0.1" : bindHost
    let page = "http://\(shown):\(boundPort)/"
    let endpointBox = EndpointBox()
    var control = RPCRouter()
    control.registerHealth(
      service: "web", method: "Web/Health", endpoint: { endpointBox.value },
      fill: { $0.detail = "page \(page) -> gateway \(config.string(gateway))" })
    let controlServer = try RPCServer(
      bind: config.string(controlBind), router: control, logger: logger,
      security: security.server(), limits: security.limits)
    endpointBox.value = controlServer.endpoint
    return BuiltService(
      parts: [app, RPCServerService(controlServer)],
      endpoints: ["http": page, "control": controlServer.endpoint, "gateway": config.string(gateway)])
  }

  /// A TCP port nobody listens on now (asked of the kernel with a bind to port 0), so READY can name the port
  /// before the server runs. Another process could take it in between; on a test machine that is vanishingly rare.
  static func freePort(host: String) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServiceError(.internal, "socket(): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    guard inet_pton(AF_INET, host == "0.0.0.0" ? "0.0.0.0" : host, &address.sin_addr) == 1 else {
      throw ServiceError(
        .invalidArgument,
        "--host '\(host)' is not an IPv4 address; give one such as 127.0.0.1, or a --port other than 0")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else {
      throw ServiceError(.unavailable, "cannot bind \(host):0 to find a free port: \(String(cString: strerror(errno)))")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
