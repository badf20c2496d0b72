// How CLI commands find their client key for a secured deployment: --key NAME (env ACTIVESEG_KEY) in
// --keys-dir (env ACTIVESEG_KEYS_DIR), or the keys `activeseg up --secure` made in the run folder.
import ArgumentParser
import Foundation
import Messaging

struct ClientKeyOptions: ParsableArguments {
  @Option(
    help:
      "Client key name for a secured deployment (<keys-dir>/<NAME>.key; default admin when the local services are secured). Env: ACTIVESEG_KEY."
  )
  var key: String?
  @Option(help: "Folder with the key files (default: the one `activeseg up --secure` used). Env: ACTIVESEG_KEYS_DIR.")
  var keysDir: String?

  /// The CURVE settings to call the service whose key is named `server`, or nil when security is off here.
  func client(of server: String, runDir: String) throws -> ClientSecurity? {
    let environment = ProcessInfo.processInfo.environment
    let recorded = RunDirectory(path: runDir).securedKeysDirectory()
    let name = key ?? environment["ACTIVESEG_KEY"] ?? (recorded != nil ? "admin" : nil)
    guard let name else { return nil }
    guard let directory = keysDir ?? environment["ACTIVESEG_KEYS_DIR"] ?? recorded else {
      throw ValidationError(
        "--key \(name) needs the folder holding \(name).key and \(server).pub: give --keys-dir or set ACTIVESEG_KEYS_DIR"
      )
    }
    do {
      return ClientSecurity(
        keys: try CurveKeyPair.load(directory: directory, name: name),
        serverPublicKey: try CurveKeyPair.loadPublic(directory: directory, name: server))
    } catch let error as SecurityError {
      throw ValidationError(error.description)
    }
  }
}
