// A YAML node paired with its key path, so every validation error names where it happened
// (`strategies[1].name`) and what is allowed there.

import Yams

/// A YAML node with the key path that led to it.
struct YAMLValue {
  let node: Node
  let path: String

  func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func error(_ code: ExperimentError.Code, _ message: String, at path: String? = nil) -> ExperimentError {
    ExperimentError(code: code, path: path ?? self.path, message: message)
  }

  /// The mapping's entries by key, after checking every key is one of `allowed`.
  func mapping(allowed: [String]) throws -> [String: YAMLValue] {
    guard let mapping = node.mapping else {
      throw error(.invalidValue, "expected a mapping with keys \(allowed.joined(separator: ", "))")
    }
    var entries: [String: YAMLValue] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar?.string else {
        throw error(.unknownKey, "mapping keys must be plain strings")
      }
      guard allowed.contains(key) else {
        throw error(
          .unknownKey, "unknown key '\(key)'; allowed keys: \(allowed.joined(separator: ", "))",
          at: child(key))
      }
      guard entries[key] == nil else {
        throw error(.invalidValue, "key '\(key)' appears twice; keep one", at: child(key))
      }
      entries[key] = YAMLValue(node: value, path: child(key))
    }
    return entries
  }

  /// The sequence's elements, with `path[i]` paths.
  func sequence() throws -> [YAMLValue] {
    guard let sequence = node.sequence else { throw error(.invalidValue, "expected a list") }
    return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]") }
  }

  /// A scalar's text (numbers and booleans are returned as written).
  func string() throws -> String {
    guard let scalar = node.scalar else { throw error(.invalidValue, "expected a single value, not a list or mapping") }
    return scalar.string
  }

  func int() throws -> Int {
    guard node.scalar != nil, let value = node.int else {
      throw error(.invalidValue, "expected an integer, got '\((try? string()) ?? "a collection")'")
    }
    return value
  }

  func double() throws -> Double {
    guard node.scalar != nil, let value = node.float, value.isFinite else {
      throw error(.invalidValue, "expected a number, got '\((try? string()) ?? "a collection")'")
    }
    return value
  }

  /// A budget fraction, written as a fraction (`0.02`) or in percent with its sign (`2%`). A bare number
  /// above 1 is refused: `2` could mean 2 % or 200 %.
  func fraction() throws -> Double {
    let text = (try? string())?.trimmingCharacters(in: .whitespaces) ?? ""
    if text.hasSuffix("%") {
      guard let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), percent.isFinite else {
        throw error(.invalidValue, "expected a percentage such as '2%', got '\(text)'")
      }
      return percent / 100
    }
    let value = try double()
    guard value <= 1 + 1e-9 else {
      throw error(
        .invalidValue,
        "\(text) is more than 1: write budgets as fractions of the pool (0.02) or in percent with the sign ('2%')")
    }
    return value
  }

  /// A value that must be one of an enum's raw values.
  func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
    let text = try string()
    guard let value = T(rawValue: text) else {
      let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
      throw error(.invalidValue, "'\(text)' is not allowed; allowed values: \(allowed)")
    }
    return value
  }
}
