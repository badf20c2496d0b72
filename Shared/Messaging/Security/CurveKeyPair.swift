// A CurveZMQ key pair as Z85 text (40 characters each), made by libzmq, kept in `<name>.key` (secret) and
// `<name>.pub` (public) files. Also the start-up check that libzmq was built with CURVE.
import CZeroMQ
import Foundation

/// A failure of the security set-up (keys, allow-list, libzmq support), naming the file or feature and the fix.
public struct SecurityError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// A CurveZMQ key pair, both halves Z85-encoded (40 characters).
public struct CurveKeyPair: Sendable, Hashable {
  public let publicKey: String
  public let secretKey: String

  /// A new random key pair from libzmq (libsodium's randomness).
  public static func generate() throws -> CurveKeyPair {
    try CurveSupport.require()
    var publicBuffer = [CChar](repeating: 0, count: 41)
    var secretBuffer = [CChar](repeating: 0, count: 41)
    try zmqCheck(zmq_curve_keypair(&publicBuffer, &secretBuffer), "zmq_curve_keypair")
    return CurveKeyPair(publicKey: Self.text(publicBuffer), secretKey: Self.text(secretBuffer))
  }

  /// The pair of a Z85 secret key (the public half is derived from it).
  public init(secretKey: String) throws {
    guard CurveKeyPair.isZ85Key(secretKey) else {
      throw SecurityError("a CURVE secret key must be 40 Z85 characters, got \(secretKey.count) characters")
    }
    var publicBuffer = [CChar](repeating: 0, count: 41)
    try zmqCheck(zmq_curve_public(&publicBuffer, secretKey), "zmq_curve_public")
    self.init(publicKey: Self.text(publicBuffer), secretKey: secretKey)
  }

  private init(publicKey: String, secretKey: String) {
    self.publicKey = publicKey
    self.secretKey = secretKey
  }

  /// Whether `text` looks like a Z85-encoded 32-byte key.
  public static func isZ85Key(_ text: String) -> Bool {
    guard text.utf8.count == 40 else { return false }
    var decoded = [UInt8](repeating: 0, count: 32)
    return zmq_z85_decode(&decoded, text) != nil
  }

  /// The Z85 text of a 32-byte binary key (as ZAP hands it over).
  static func z85(_ binary: [UInt8]) -> String? {
    guard binary.count == 32 else { return nil }
    var buffer = [CChar](repeating: 0, count: 41)
    guard zmq_z85_encode(&buffer, binary, 32) != nil else { return nil }
    return text(buffer)
  }

  private static func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  // MARK: - Files

  /// Loads `<directory>/<name>.key`; checks `<name>.pub` against it when that file exists.
  public static func load(directory: String, name: String) throws -> CurveKeyPair {
    let path = "\(directory)/\(name).key"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SecurityError(
        "cannot read the secret key \(path); make keys with `activeseg keys generate --dir \(directory)`")
    }
    let pair: CurveKeyPair
    do { pair = try CurveKeyPair(secretKey: text.trimmingCharacters(in: .whitespacesAndNewlines)) } catch {
      throw SecurityError(
        "\(path) is not a CURVE secret key (\(error)); make it again with `activeseg keys generate --dir \(directory)`")
    }
    if let stored = try? loadPublic(directory: directory, name: name), stored != pair.publicKey {
      throw SecurityError(
        "\(directory)/\(name).pub does not match \(path); delete both and run `activeseg keys generate --dir \(directory)`"
      )
    }
    return pair
  }

  /// Loads the public key `<directory>/<name>.pub` (a server's key, for its clients).
  public static func loadPublic(directory: String, name: String) throws -> String {
    let path = "\(directory)/\(name).pub"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SecurityError(
        "cannot read the public key \(path); copy it from the machine that made the keys or run `activeseg keys generate --dir \(directory)`"
      )
    }
    let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard isZ85Key(key) else { throw SecurityError("\(path) is not a 40-character Z85 CURVE public key") }
    return key
  }

  /// Writes `<name>.key` (mode 0600) and `<name>.pub` (0644) into `directory`.
  public func write(directory: String, name: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let secretPath = "\(directory)/\(name).key", publicPath = "\(directory)/\(name).pub"
    guard
      FileManager.default.createFile(
        atPath: secretPath, contents: Data((secretKey + "\n").utf8),
        attributes: [.posixPermissions: 0o600])
    else {
      throw SecurityError("cannot write \(secretPath); check that \(directory) is writable")
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretPath)
    guard
      FileManager.default.createFile(
        atPath: publicPath, contents: Data((publicKey + "\n").utf8),
        attributes: [.posixPermissions: 0o644])
    else {
      throw SecurityError("cannot write \(publicPath); check that \(directory) is writable")
    }
  }
}

/// Whether the libzmq this process runs with can do CURVE.
public enum CurveSupport {
  public static var available: Bool { zmq_has("curve") == 1 }

  /// Throws, naming the missing feature and the fix, when libzmq lacks CURVE.
  public static func require() throws {
    guard available else {
      throw SecurityError(
        """
        security is on but this libzmq (\(zmqVersion)) was built without CURVE (zmq_has("curve") is false): \
        install a libzmq built with libsodium (Debian/Ubuntu: apt-get install libzmq5 libzmq3-dev; or build libzmq \
        with --with-libsodium), or run without --secure
        """)
    }
  }
}
