// The clients a secured service accepts: one line per client, `<Z85 public key> <name> <role>`.
// Blank lines, lines starting with `#`, and `# ...` after the three fields are ignored. Names and keys are unique.
import Foundation

/// One allowed client.
public struct AllowedClient: Sendable, Hashable {
  public var publicKey: String
  public var name: String
  public var role: Role

  public init(publicKey: String, name: String, role: Role) {
    self.publicKey = publicKey
    self.name = name
    self.role = role
  }
}

/// The allow-list: who may connect, under which name and role.
public struct AllowList: Sendable {
  public private(set) var clients: [AllowedClient]
  private var byKey: [String: AllowedClient] = [:]
  private var byName: [String: AllowedClient] = [:]

  public init(_ clients: [AllowedClient]) throws {
    self.clients = []
    for client in clients { try add(client) }
  }

  public mutating func add(_ client: AllowedClient) throws {
    guard CurveKeyPair.isZ85Key(client.publicKey) else {
      throw SecurityError(
        "allow-list entry '\(client.name)': '\(client.publicKey)' is not a 40-character Z85 public key")
    }
    guard !client.name.isEmpty, !client.name.contains(where: \.isWhitespace) else {
      throw SecurityError(
        "allow-list entry with key \(client.publicKey): the name must be one word, got '\(client.name)'")
    }
    if byKey[client.publicKey] != nil {
      throw SecurityError("allow-list: key \(client.publicKey) appears twice; keep one line per key")
    }
    if byName[client.name] != nil {
      throw SecurityError("allow-list: name '\(client.name)' appears twice; give each client its own name")
    }
    clients.append(client)
    byKey[client.publicKey] = client
    byName[client.name] = client
  }

  /// The client holding this Z85 public key, if allowed.
  public func client(publicKey: String) -> AllowedClient? { byKey[publicKey] }
  /// The client with this name, if allowed.
  public func client(named name: String) -> AllowedClient? { byName[name] }

  /// Parses allow-list text; `source` names it in errors.
  public init(text: String, source: String = "allow-list") throws {
    var entries: [AllowedClient] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      // '#' is also a Z85 character: a comment is a line starting with '#', or words after the three fields.
      let line = String(raw)
      var fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
      if fields.isEmpty || fields[0].hasPrefix("#") { continue }
      if fields.count > 3 && fields[3].hasPrefix("#") { fields = Array(fields.prefix(3)) }
      guard fields.count == 3 else {
        throw SecurityError(
          "\(source) line \(index + 1): expected '<Z85 public key> <name> <role>', got '\(line.trimmingCharacters(in: .whitespaces))'"
        )
      }
      guard let role = Role(rawValue: fields[2]) else {
        throw SecurityError(
          "\(source) line \(index + 1): unknown role '\(fields[2])'; use \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      entries.append(AllowedClient(publicKey: fields[0], name: fields[1], role: role))
    }
    do { try self.init(entries) } catch let error as SecurityError {
      throw SecurityError("\(source): \(error.description)")
    }
  }

  /// Reads an allow-list file.
  public static func load(path: String) throws -> AllowList {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SecurityError(
        "cannot read the allow-list \(path); make it with `activeseg keys generate` or point --allow-list at it")
    }
    return try AllowList(text: text, source: path)
  }

  /// The file text: a header comment, then one line per client.
  public var text: String {
    ([
      "# ActiveSeg allow-list: <Z85 public key> <name> <role> (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
    ]
      + clients.map { "\($0.publicKey) \($0.name) \($0.role)" }).joined(separator: "\n") + "\n"
  }
}
