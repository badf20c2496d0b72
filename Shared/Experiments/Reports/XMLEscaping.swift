// Escaping text for XML/XHTML content and attribute values.

extension String {
  /// The string with `& < > " '` replaced by entities, safe in XHTML text and attributes.
  var xmlEscaped: String {
    var out = ""
    out.reserveCapacity(count)
    for character in self {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
