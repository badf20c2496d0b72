// Aligning rows of cells into padded text columns for the terminal tables.

enum TextColumns {
  /// Each row as one line: the first `leftAligned` columns padded on the right, the others on the
  /// left, two spaces apart. Rows may be shorter than the widest; missing cells are blank.
  static func render(_ rows: [[String]], leftAligned: Int = 1) -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
      (0..<columns).map { column in
        let cell = column < row.count ? row[column] : ""
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column < leftAligned ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
  }

  /// A rule as wide as the rendered `rows`.
  static func rule(_ rows: [[String]]) -> String {
    String(repeating: "-", count: render(rows).map(\.count).max() ?? 0)
  }
}
