// A service's security and limits from its configuration: whether CurveZMQ is on, its key pair, the allow-list,
// the server keys of the services it calls, and the frame-size and rate limits of its servers.
import Foundation
import Messaging

/// The security and limit keys every service has (shown in each service's `--help`).
public enum SecurityKeys {
  public static let secure = ConfigKey(
    "security.secure", env: "ACTIVESEG_SECURE", .bool, default: "false",
    "CurveZMQ on every socket: only clients on the allow-list get in, calls run as the authenticated caller")
  public static let keysDir = ConfigKey(
    "security.keys_dir", env: "ACTIVESEG_KEYS_DIR", .path, default: "keys",
    "folder with <name>.key / <name>.pub key files (make them with `activeseg keys generate`)")
  public static let allowList = ConfigKey(
    "security.allow_list", env: "ACTIVESEG_ALLOW_LIST", .path, default: "",
    "the allow-list file, one '<Z85 public key> <name> <role>' per line (default: <keys-dir>/allow-list)")
  public static let keyName = ConfigKey(
    "security.key_name", env: "ACTIVESEG_KEY_NAME", .string, default: "",
    "which key pair in --keys-dir this service uses (default: the service's name)")
  public static let maxMessageMB = ConfigKey(
    "limits.max_message_mb", env: "ACTIVESEG_MAX_MESSAGE_MB", .int, default: "256",
    "largest frame a server socket reads, in MiB; a peer sending more is disconnected")
  public static let rateLimit = ConfigKey(
    "limits.rate_limit", env: "ACTIVESEG_RATE_LIMIT", .int, default: "0",
    "requests per second per caller at each RPC server; over it, RESOURCE_EXHAUSTED (0 = no limit)")
  public static let rateBurst = ConfigKey(
    "limits.rate_burst", env: "ACTIVESEG_RATE_BURST", .int, default: "200",
    "requests a caller may send at once before --rate-limit applies")
  public static let all = [secure, keysDir, allowList, keyName, maxMessageMB, rateLimit, rateBurst]
}

/// Resolved security of one service process.
public struct ServiceSecurity: Sendable {
  public let enabled: Bool
  public let keysDirectory: String
  /// This service's key pair (security on only).
  public let keys: CurveKeyPair?
  /// The allow-list, shared by every server of the process and reloaded on SIGHUP and when its file changes.
  public let allowListStore: AllowListStore?
  public var allowList: AllowList? { allowListStore?.current }
  public let limits: ServerLimits

  /// Reads the keys of `service` when security is on; throws naming the missing file or libzmq feature.
  public init(config: ConfigReader, service: String) throws {
    enabled = config.bool(SecurityKeys.secure)
    keysDirectory = config.string(SecurityKeys.keysDir)
    limits = ServerLimits(
      maxMessageBytes: Int64(max(1, config.int(SecurityKeys.maxMessageMB))) << 20,
      requestsPerSecond: Double(max(0, config.int(SecurityKeys.rateLimit))),
      burst: max(1, config.int(SecurityKeys.rateBurst)))
    guard enabled else {
      keys = nil
      allowListStore = nil
      return
    }
    try CurveSupport.require()
    let name = config.string(SecurityKeys.keyName).isEmpty ? service : config.string(SecurityKeys.keyName)
    keys = try CurveKeyPair.load(directory: keysDirectory, name: name)
    let listPath =
      config.string(SecurityKeys.allowList).isEmpty
      ? "\(keysDirectory)/allow-list" : config.string(SecurityKeys.allowList)
    allowListStore = try AllowListStore.shared(path: listPath)
  }

  /// No security, default limits (in-process tests).
  public init() {
    enabled = false
    keysDirectory = ""
    keys = nil
    allowListStore = nil
    limits = ServerLimits()
  }

  /// The settings of a server socket of this service, or nil when security is off.
  public func server(policy: AccessPolicy = .servicesOnly) -> ServerSecurity? {
    guard let keys, let allowListStore else { return nil }
    return ServerSecurity(keys: keys, store: allowListStore, policy: policy)
  }

  /// The settings to call the service whose key pair is named `server`, or nil when security is off.
  public func client(of server: String) throws -> ClientSecurity? {
    guard let keys else { return nil }
    return ClientSecurity(
      keys: keys, serverPublicKey: try CurveKeyPair.loadPublic(directory: keysDirectory, name: server))
  }
}
