// How a socket takes part in CurveZMQ: as a server (its key pair, its ZAP domain) or as a client (its own
// key pair and the server's public key). Plain sockets have no security.
import Foundation
import Logging
import Synchronization

/// The CURVE settings of one socket.
public enum SocketSecurity: Sendable {
  case none
  /// A server socket: clients are checked by the context's ZAP handler under `domain`.
  case server(keys: CurveKeyPair, domain: String)
  /// A client socket: it proves `keys` and checks that the server holds `serverPublicKey`.
  case client(keys: CurveKeyPair, serverPublicKey: String)
}

/// What a secured server needs: its key pair, the allow-list, and (for RPC) which roles may call which methods.
public struct ServerSecurity: Sendable {
  public var keys: CurveKeyPair
  /// The allow-list as it is now; a reload of the store reaches every socket made from this value.
  public var store: AllowListStore
  public var policy: AccessPolicy
  /// Only clients with one of these roles may connect at all (nil = anyone on the allow-list).
  public var roles: Set<Role>?

  public init(keys: CurveKeyPair, store: AllowListStore, policy: AccessPolicy = .servicesOnly, roles: Set<Role>? = nil)
  {
    self.keys = keys
    self.store = store
    self.policy = policy
    self.roles = roles
  }

  /// A server with a fixed allow-list (tests, tools).
  public init(keys: CurveKeyPair, allowList: AllowList, policy: AccessPolicy = .servicesOnly, roles: Set<Role>? = nil) {
    self.init(keys: keys, store: AllowListStore(allowList), policy: policy, roles: roles)
  }

  /// The allow-list as it is now.
  public var allowList: AllowList { store.current }

  private static let counter = Atomic<Int>(0)

  /// Registers a fresh ZAP domain for one socket named `name` and returns the socket's settings.
  func socketSecurity(context: ZMQContext, name: String, logger: Logger) throws -> (SocketSecurity, String) {
    try CurveSupport.require()
    let domain = "activeseg-\(name)-\(Self.counter.add(1, ordering: .relaxed).newValue)"
    try context.zapHandler(logger: logger).register(domain: domain, store: store, roles: roles)
    return (.server(keys: keys, domain: domain), domain)
  }
}

/// What a secured client needs: its own key pair and the server's public key.
public struct ClientSecurity: Sendable {
  public var keys: CurveKeyPair
  public var serverPublicKey: String

  public init(keys: CurveKeyPair, serverPublicKey: String) {
    self.keys = keys
    self.serverPublicKey = serverPublicKey
  }

  var socketSecurity: SocketSecurity { .client(keys: keys, serverPublicKey: serverPublicKey) }
}
