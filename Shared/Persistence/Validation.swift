// Small input checks shared by the store's mutations; each error names the thing and the fix.

import Foundation

enum Validation {
  /// Throws `.invalidInput` unless `text` parses as a JSON object or array.
  static func json(_ text: String, _ what: String) throws {
    guard let data = text.data(using: .utf8),
      (try? JSONSerialization.jsonObject(with: data)) != nil
    else {
      throw StoreError(.invalidInput, "\(what) is not valid JSON: \(text.prefix(80)); pass a JSON object such as {}")
    }
  }

  /// Throws `.invalidInput` if `value` is empty.
  static func nonEmpty(_ value: String, _ what: String) throws {
    if value.isEmpty { throw StoreError(.invalidInput, "\(what) is empty; give it a name") }
  }

  /// Index of the first label value that is not allowed, or nil.
  /// Full masks allow `0..<classCount`; scribbles also allow the ignore value.
  static func firstBadLabel(_ values: [UInt8], classCount: Int, allowIgnore: Bool) -> Int? {
    values.withUnsafeBufferPointer { buffer in
      for i in buffer.indices {
        let v = buffer[i]
        if Int(v) >= classCount && !(allowIgnore && v == AnnotationKind.ignoreValue) { return i }
      }
      return nil
    }
  }

  /// Number of labeled pixels: all of a full mask, the non-ignore pixels of a scribble.
  static func labeledPixels(_ values: [UInt8], kind: AnnotationKind) -> Int {
    switch kind {
    case .full: values.count
    case .scribble: values.reduce(0) { $0 + ($1 == AnnotationKind.ignoreValue ? 0 : 1) }
    }
  }

  /// Formats a list of ids for an error message, eliding long lists.
  static func idList(_ ids: [Int64]) -> String {
    let shown = ids.prefix(10).map(String.init).joined(separator: ", ")
    return ids.count > 10 ? "\(shown), … (\(ids.count) in all)" : shown
  }

  /// JSON array text of ids, for `json_each(?)` queries.
  static func jsonArray(_ ids: [Int64]) -> String {
    "[" + ids.map(String.init).joined(separator: ",") + "]"
  }
}
