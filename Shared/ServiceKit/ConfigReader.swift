// Reads configuration keys from flags, then the environment, then the documented defaults.
import Foundation

/// A bad flag or value, named, with what is allowed.
public struct ConfigError: Error, CustomStringConvertible {
  public let description: String
}

/// Resolved configuration of one service. Precedence: `--flag value` > environment variable > default.
public struct ConfigReader: Sendable {
  public let keys: [ConfigKey]
  private let values: [String: String]
  /// True when `--help` was given: the caller prints `usage` and exits.
  public let helpRequested: Bool

  public init(
    keys: [ConfigKey], arguments: [String] = Array(CommandLine.arguments.dropFirst()),
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    let keys = keys + ConfigKey.common.filter { common in !keys.contains { $0.name == common.name } }
    self.keys = keys
    var values: [String: String] = [:]
    for key in keys { values[key.name] = environment[key.environment] ?? key.defaultValue }
    var help = false
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--help" || argument == "-h" {
        help = true
        index += 1
        continue
      }
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      guard let key = keys.first(where: { $0.flag == parts[0] }) else {
        throw ConfigError(
          description:
            "unknown option '\(argument)'; known options: \(keys.map(\.flag).joined(separator: ", ")) (see --help)")
      }
      if parts.count == 2 {
        values[key.name] = parts[1]
      } else if key.kind == .bool {
        values[key.name] = "true"
      } else {
        guard index + 1 < arguments.count else {
          throw ConfigError(description: "option \(key.flag) needs a value (\(key.kind.rawValue))")
        }
        index += 1
        values[key.name] = arguments[index]
      }
      index += 1
    }
    self.values = values
    self.helpRequested = help
    for key in keys { try validate(key) }
  }

  private func validate(_ key: ConfigKey) throws {
    let value = values[key.name] ?? ""
    switch key.kind {
    case .int where Int(value) == nil:
      throw ConfigError(description: "\(key.flag) / \(key.environment) must be a whole number, got '\(value)'")
    case .bool where !["true", "false", "1", "0", "yes", "no"].contains(value.lowercased()):
      throw ConfigError(description: "\(key.flag) / \(key.environment) must be true or false, got '\(value)'")
    case .endpoint where !(value.hasPrefix("tcp://") || value.hasPrefix("ipc://") || value.hasPrefix("inproc://")):
      throw ConfigError(
        description:
          "\(key.flag) / \(key.environment) must be a ZeroMQ endpoint like tcp://127.0.0.1:5550 or ipc:///tmp/x.sock, got '\(value)'"
      )
    default: break
    }
  }

  public func string(_ key: ConfigKey) -> String { values[key.name] ?? key.defaultValue }
  public func int(_ key: ConfigKey) -> Int { Int(string(key)) ?? Int(key.defaultValue) ?? 0 }
  public func bool(_ key: ConfigKey) -> Bool { ["true", "1", "yes"].contains(string(key).lowercased()) }

  /// The `--help` text: every key with its flag, environment variable, type, default and meaning.
  public func usage(service: String) -> String {
    var lines = ["activeseg-\(service): configuration (flag, environment variable, type, default)", ""]
    for key in keys {
      lines.append(
        "  \(key.flag) <\(key.kind.rawValue)>   env \(key.environment)   default \(key.defaultValue.isEmpty ? "\"\"" : key.defaultValue)"
      )
      lines.append("      \(key.summary)")
    }
    return lines.joined(separator: "\n")
  }
}
