// A documented configuration key: its dotted name, environment variable, flag, type, default and meaning.
/// One configuration key. Every service lists its keys; `--help` prints them.
public struct ConfigKey: Sendable, Hashable {
  public enum Kind: String, Sendable { case string, int, bool, endpoint, path }

  public var name: String
  public var environment: String
  public var kind: Kind
  public var defaultValue: String
  public var summary: String

  /// The command-line flag: the dotted name's last part, dashed (`storage.database` → `--database`).
  public var flag: String {
    "--" + (name.split(separator: ".").last.map(String.init) ?? name).replacingOccurrences(of: "_", with: "-")
  }

  public init(_ name: String, env: String, _ kind: Kind, default defaultValue: String, _ summary: String) {
    self.name = name
    self.environment = env
    self.kind = kind
    self.defaultValue = defaultValue
    self.summary = summary
  }

  /// Keys every service has.
  public static let logLevel = ConfigKey(
    "log.level", env: "LOG_LEVEL", .string, default: "info",
    "trace, debug, info, notice, warning, error or critical")
  public static let exitOnStdinEOF = ConfigKey(
    "exit_on_stdin_eof", env: "EXIT_ON_STDIN_EOF", .bool, default: "false",
    "stop when standard input closes (so a parent's death stops the service)")
  public static let common: [ConfigKey] = [logLevel, exitOnStdinEOF] + SecurityKeys.all
}
