// `activeseg keys generate`: CurveZMQ key pairs for every service and for named clients, plus the allow-list
// that the secured services read. Existing keys are kept (so running it twice is safe) unless --force.
// `activeseg keys web-token`: a sign-in token for the annotation page (see WebTokens.swift).
import ArgumentParser
import Foundation
import Messaging

struct Keys: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make CurveZMQ keys and the allow-list for a secured deployment.",
    subcommands: [Generate.self, WebToken.self])

  struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a key pair per service and per client, and the allow-list (existing keys are kept).",
      discussion: "Writes <name>.key (secret, mode 0600) and <name>.pub for storage, selector, gateway, trainer, "
        + "embedder and web (role service) and for each client of --clients, then DIR/allow-list with one line per key: "
        + "'<Z85 public key> <name> <role>'. Give a client its .key file and the gateway.pub it connects to; start "
        + "the services with --secure --keys-dir DIR (or ACTIVESEG_SECURE=true ACTIVESEG_KEYS_DIR=DIR).")

    @Option(help: "Folder for the key files and the allow-list.") var dir: String
    @Option(help: "Clients as name:role, comma-separated; roles: admin, annotator, viewer.") var clients = "admin:admin"
    @Flag(help: "Replace existing keys (every client must then get its new key).") var force = false

    func run() async throws {
      let made = try KeySet.ensure(directory: dir, clients: try KeySet.parseClients(clients), force: force)
      for line in made { say(line) }
      say("allow-list: \(dir)/allow-list; start services with --secure --keys-dir \(dir)")
    }
  }
}

/// The key files of one deployment.
enum KeySet {
  static let services = ["storage", "selector", "gateway", "trainer", "embedder", "web"]

  /// Parses `name:role,...`.
  static func parseClients(_ text: String) throws -> [(String, Role)] {
    try text.split(separator: ",").map { item in
      let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, !parts[0].isEmpty, let role = Role(rawValue: parts[1]), role != .service else {
        throw ValidationError("--clients: '\(item)' must be name:role with role admin, annotator or viewer")
      }
      guard !services.contains(parts[0]) else {
        throw ValidationError("--clients: '\(parts[0])' is a service's name; pick another")
      }
      return (parts[0], role)
    }
  }

  /// Makes the missing key pairs (all with `force`) and rewrites the allow-list: services, `clients`, and the
  /// entries of an existing allow-list under other names. Returns one line per key for the user.
  @discardableResult
  static func ensure(directory: String, clients: [(String, Role)], force: Bool = false) throws -> [String] {
    try CurveSupport.require()
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    var lines: [String] = []
    var entries: [AllowedClient] = []
    for (name, role) in services.map({ ($0, Role.service) }) + clients {
      let exists = FileManager.default.fileExists(atPath: "\(directory)/\(name).key")
      let pair: CurveKeyPair
      if exists && !force {
        pair = try CurveKeyPair.load(directory: directory, name: name)
      } else {
        pair = try CurveKeyPair.generate()
        try pair.write(directory: directory, name: name)
      }
      entries.append(AllowedClient(publicKey: pair.publicKey, name: name, role: role))
      lines.append(
        "\(exists && !force ? "kept" : "made") \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(pair.publicKey)"
      )
    }
    let listPath = "\(directory)/allow-list"
    if let old = try? AllowList.load(path: listPath) {
      entries += old.clients.filter { client in
        !entries.contains { $0.name == client.name || $0.publicKey == client.publicKey }
      }
    }
    try AllowList(entries).text.write(toFile: listPath, atomically: true, encoding: .utf8)
    return lines
  }
}
