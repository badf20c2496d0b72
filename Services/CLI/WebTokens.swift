// `activeseg keys web-token --name alice`: adds a sign-in token for the annotation page (activeseg-web) to its
// token file, one '<token> <annotator name>' per line (mode 0600). Labels submitted with that token are
// recorded under that name. `--revoke` removes a name's tokens.
import ArgumentParser
import Foundation
import Glibc

struct WebToken: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "web-token", abstract: "Add (or revoke) an annotator's sign-in token for the annotation page.",
    discussion: "The token file is what activeseg-web reads with --tokens (`activeseg up --web-port` passes "
      + "<run-dir>/web-tokens). Give each annotator their token; the page asks for it at sign-in.")

  @Option(help: "The annotator's name, recorded with every label they submit (letters, digits, . _ -).") var name:
    String
  @Option(help: "The token file (default: <run-dir>/web-tokens, the one `activeseg up --web-port` uses).") var file:
    String?
  @OptionGroup var run: RunOptions
  @Flag(help: "Remove the name's tokens instead of adding one.") var revoke = false

  func validate() throws {
    guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
      throw ValidationError(
        "--name '\(name)': use 1 to 64 letters, digits, '.', '_' or '-' (it is recorded with each label)")
    }
  }

  func run() async throws {
    let path = file ?? "\(run.runDir)/web-tokens"
    let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var lines = old.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    if revoke {
      let kept = lines.filter { $0.split(separator: " ").dropFirst().first.map(String.init) != name }
      guard kept.count < lines.count else { throw ValidationError("\(path) has no token for '\(name)'") }
      try Self.write(kept, to: path)
      say(
        "revoked \(lines.count - kept.count) token(s) of \(name) in \(path); a running activeseg-web reads the file again within a few seconds"
      )
      return
    }
    if lines.isEmpty {
      lines.append(
        "# activeseg-web sign-in tokens: '<token> <annotator name>' per line (make them with `activeseg keys web-token`)"
      )
    }
    let token = try Self.randomToken()
    lines.append("\(token) \(name)")
    try Self.write(lines, to: path)
    say("token for \(name): \(token)")
    say("added to \(path); \(name) signs in to the annotation page with it")
  }

  /// 32 random bytes from the kernel, as 64 hex digits.
  static func randomToken() throws -> String {
    guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else {
      throw ValidationError("cannot open /dev/urandom to make a token")
    }
    defer { try? random.close() }
    let bytes = random.readData(ofLength: 32)
    guard bytes.count == 32 else { throw ValidationError("/dev/urandom gave \(bytes.count) of 32 bytes") }
    return bytes.map { String(format: "%02x", $0) }.joined()
  }

  static func write(_ lines: [String], to path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = path + ".tmp"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
        attributes: [.posixPermissions: 0o600])
    else {
      throw ValidationError("cannot write \(temporary); check that the folder is writable")
    }
    guard rename(temporary, path) == 0 else {
      throw ValidationError(
        "cannot replace \(path): \(String(cString: strerror(errno))); check that the folder is writable")
    }
  }
}
