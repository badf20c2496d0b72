// Typed, validated access to the values of a parsed preset mapping (used by TrainingPreset(yaml:)).

import Yams

/// Typed access to the values of a parsed preset mapping, with errors that name the key and the allowed values.
struct PresetFieldReader {
  var fields: [String: Node]

  private func required(_ key: String) throws -> Node {
    guard let node = fields[key] else {
      throw SegmentationError(
        .invalidPreset,
        "preset is missing key '\(key)'; every preset needs \(TrainingPreset.allowedKeys.filter { !["iteration_cap", "optimizer"].contains($0) }.joined(separator: ", "))"
      )
    }
    return node
  }

  private func bad(_ key: String, _ node: Node, _ allowed: String) -> SegmentationError {
    let shown = node.scalar?.string ?? (node.sequence != nil ? "a list" : "a mapping")
    return SegmentationError(.invalidPreset, "preset key '\(key)' must be \(allowed), got '\(shown)'")
  }

  private func integer(_ node: Node) -> Int? {
    guard let s = node.scalar?.string else { return nil }
    return Int(s.filter { $0 != "_" })
  }

  private func double(_ node: Node) -> Double? {
    guard let s = node.scalar?.string else { return nil }
    return Double(s)
  }

  func string(_ key: String) throws -> String {
    let node = try required(key)
    guard let s = node.scalar?.string, !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
    else {
      throw bad(key, node, "a non-empty name of letters, digits, '-', '_' or '.'")
    }
    return s
  }

  /// An optional key whose value is one of `T`'s raw values (absent or null gives nil).
  func optionalChoice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T?
  where T.RawValue == String {
    guard let node = fields[key], let s = node.scalar?.string, !["null", "~", ""].contains(s) else {
      if let node = fields[key], node.scalar == nil {
        throw bad(key, node, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return nil
    }
    guard let value = T(rawValue: s) else {
      throw bad(key, node, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
  }

  func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
    let node = try required(key)
    guard let v = integer(node), range.contains(v) else {
      throw bad(key, node, "an integer in \(range.lowerBound)...\(range.upperBound)")
    }
    return v
  }

  func optionalInt(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
    guard let node = fields[key], let s = node.scalar?.string, !["null", "~", ""].contains(s) else {
      if let node = fields[key], node.scalar == nil {
        throw bad(key, node, "null or an integer in \(range.lowerBound)...\(range.upperBound)")
      }
      return nil
    }
    guard let v = integer(node), range.contains(v) else {
      throw bad(key, node, "null or an integer in \(range.lowerBound)...\(range.upperBound)")
    }
    return v
  }

  func number(_ key: String, greaterThan low: Double, atMost high: Double) throws -> Double {
    let node = try required(key)
    guard let v = double(node), v > low, v <= high else { throw bad(key, node, "a number in (\(low), \(high)]") }
    return v
  }

  func number(_ key: String, atLeast low: Double, atMost high: Double) throws -> Double {
    let node = try required(key)
    guard let v = double(node), v >= low, v <= high else { throw bad(key, node, "a number in [\(low), \(high)]") }
    return v
  }

  func number(_ key: String, atLeast low: Double, below high: Double) throws -> Double {
    let node = try required(key)
    guard let v = double(node), v >= low, v < high else { throw bad(key, node, "a number in [\(low), \(high))") }
    return v
  }

  func bool(_ key: String) throws -> Bool {
    let node = try required(key)
    switch node.scalar?.string.lowercased() {
    case "true": return true
    case "false": return false
    default: throw bad(key, node, "true or false")
    }
  }

  func intList(_ key: String, count: ClosedRange<Int>, each: ClosedRange<Int>) throws -> [Int] {
    let node = try required(key)
    let allowed =
      "a list of \(count.lowerBound)...\(count.upperBound) integers in \(each.lowerBound)...\(each.upperBound), e.g. [16, 32, 64, 128, 256]"
    guard let items = node.sequence, count.contains(items.count) else { throw bad(key, node, allowed) }
    return try items.map { item in
      guard let v = integer(item), each.contains(v) else { throw bad(key, item, allowed) }
      return v
    }
  }

  func numberList(_ key: String, atLeast low: Double, below high: Double) throws -> [Double] {
    let node = try required(key)
    let allowed = "a list of numbers in [\(low), \(high)), one per UNet level, e.g. [0.05, 0.1, 0.2, 0.3, 0.5]"
    guard let items = node.sequence else { throw bad(key, node, allowed) }
    return try items.map { item in
      guard let v = double(item), v >= low, v < high else { throw bad(key, item, allowed) }
      return v
    }
  }
}
