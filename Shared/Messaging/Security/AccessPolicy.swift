// Which roles may call which methods of a secured RPC server. `admin` may call everything; a call outside the
// caller's role is refused with PERMISSION_DENIED naming the method, the caller and the roles it needs.
/// Method → roles allowed, with a default for methods not listed. `admin` is always allowed.
public struct AccessPolicy: Sendable {
  /// Exact method names ("Gateway/RunExperiment") or "*/Name" patterns (any service's method "Name").
  public var rules: [String: Set<Role>]
  /// Roles allowed to call a method no rule names.
  public var otherwise: Set<Role>

  public init(rules: [String: Set<Role>], otherwise: Set<Role>) {
    self.rules = rules
    self.otherwise = otherwise
  }

  /// An internal service (storage, selector, worker control): Health for every role, everything else for
  /// ActiveSeg's services (and admins).
  public static let servicesOnly = AccessPolicy(rules: ["*/Health": Set(Role.allCases)], otherwise: [.service])

  /// The roles that may call `method` (admin included).
  public func roles(for method: String) -> Set<Role> {
    let name = method.split(separator: "/").last.map(String.init) ?? method
    let allowed = rules[method] ?? rules["*/\(name)"] ?? otherwise
    return allowed.union([.admin])
  }

  /// Throws PERMISSION_DENIED unless `role` may call `method`.
  public func check(method: String, caller: String, role: Role) throws(ServiceError) {
    let allowed = roles(for: method)
    guard allowed.contains(role) else {
      let needed = Role.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: " or ")
      throw ServiceError(
        .permissionDenied,
        "\(method): caller '\(caller)' has role \(role); this call needs role \(needed). Ask an admin for a key with that role"
      )
    }
  }
}
