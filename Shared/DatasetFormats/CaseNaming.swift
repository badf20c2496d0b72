// Parsing of ACDC-style case names (`patient001_frame01`, `patient001_frame01_slice_3`) and the ED/ES guess
// used when no Info.cfg is available.

import Foundation

/// Helpers for dataset file names.
enum CaseNaming {
  /// Splits `patient001_frame01` into ("patient001", 1); names without `_frameNN` give (name, nil).
  static func patientAndFrame(_ key: String) -> (patient: String, frame: Int?) {
    guard let range = key.range(of: "_frame", options: .backwards) else { return (key, nil) }
    let digits = key[range.upperBound...]
    guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let frame = Int(digits) else { return (key, nil) }
    return (String(key[..<range.lowerBound]), frame)
  }

  /// Splits `patient001_frame01_slice_3` into ("patient001_frame01", 3).
  static func volumeAndSlice(_ name: String) -> (volume: String, slice: Int)? {
    guard let range = name.range(of: "_slice_", options: .backwards),
      let k = Int(name[range.upperBound...])
    else { return nil }
    return (String(name[..<range.lowerBound]), k)
  }

  /// The phase of `frame` given ACDC Info.cfg values, or a guess when they are missing: a patient with
  /// exactly two frames has ED at the lower frame number (true for every ACDC patient), otherwise "".
  static func phase(frame: Int?, info: [String: String], framesOfPatient: [Int]) -> String {
    guard let frame else { return "" }
    if let ed = info["ED"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), ed == frame { return "ED" }
    if let es = info["ES"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), es == frame { return "ES" }
    if info["ED"] != nil || info["ES"] != nil { return "" }
    let frames = Set(framesOfPatient).sorted()
    guard frames.count == 2 else { return "" }
    return frame == frames[0] ? "ED" : "ES"
  }

  /// Parses ACDC `Info.cfg` text (`Key: value` lines).
  static func parseInfo(_ text: String) -> [String: String] {
    var out = [String: String]()
    for line in text.split(whereSeparator: \.isNewline) {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingCharacters(in: .whitespaces)
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if !key.isEmpty { out[key] = value }
    }
    return out
  }
}
