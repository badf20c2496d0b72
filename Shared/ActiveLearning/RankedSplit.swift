// The ranked split of spec §1.5: stable sort of (slice, score) by score, drop labeled slices,
// take the first n. Uncertainty strategies end with it.

/// Sort direction of a ranked split (`rank_type` in the spec).
public enum RankOrder: Sendable {
  /// Highest score first (`desc`, the default).
  case descending
  /// Lowest score first (`inc`).
  case ascending
}

/// Spec §1.5: the top-`count` unlabeled entries of a score list, ties kept in list order.
public enum RankedSplit {
  /// Stable-sorts `scored` by score in `order`, drops ids in `labeled` (exact match) and takes `count`.
  /// NaN scores sort last in either order.
  public static func top(
    _ scored: [RankedSlice], labeled: Set<Int> = [], count: Int,
    order: RankOrder = .descending
  ) -> [RankedSlice] {
    let kept = scored.enumerated().filter { !labeled.contains($0.element.id) }
    let sorted = kept.sorted { a, b in
      let sa = a.element.score, sb = b.element.score
      if sa.isNaN != sb.isNaN { return sb.isNaN }
      if sa != sb && !sa.isNaN {
        return order == .descending ? sa > sb : sa < sb
      }
      return a.offset < b.offset
    }
    return sorted.prefix(max(0, count)).map(\.element)
  }
}
