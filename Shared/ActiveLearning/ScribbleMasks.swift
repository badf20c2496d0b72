// Per-slice scribble label maps (one UInt8 class per pixel, a sentinel for "not annotated"),
// as used by the "ours" distance to weight pixel differences by the center's scribbles.

/// `slices × pixels` label values; `unannotated` marks pixels without a scribble.
public struct ScribbleMasks: Sendable, Equatable {
  /// Number of slices (rows).
  public let slices: Int
  /// Pixels per slice; must equal the pixel matrix's column count.
  public let pixels: Int
  /// The labels, `labels[s * pixels + p]`. // (slices, pixels)
  public let labels: [UInt8]
  /// The value meaning "no scribble here" (4 for ACDC: background + 3 classes).
  public let unannotated: UInt8

  /// Wraps `labels`; its count must be `slices * pixels`. A slice with no annotation is all `unannotated`.
  public init(slices: Int, pixels: Int, labels: [UInt8], unannotated: UInt8 = 4) {
    precondition(
      labels.count == slices * pixels,
      "ScribbleMasks \(slices)×\(pixels) needs \(slices * pixels) labels, got \(labels.count)")
    self.slices = slices
    self.pixels = pixels
    self.labels = labels
    self.unannotated = unannotated
  }

  /// Whether pixel `p` of slice `s` carries a scribble (of any class, background included).
  public func isScribbled(slice s: Int, pixel p: Int) -> Bool {
    labels[s * pixels + p] != unannotated
  }

  /// Scribbled pixels of slice `s`.
  public func scribbleSize(slice s: Int) -> Int {
    var count = 0
    for p in (s * pixels)..<((s + 1) * pixels) where labels[p] != unannotated { count += 1 }
    return count
  }

  /// The mean number of scribbled pixels over the slices that have any; nil when none has.
  public func meanScribbleSize() -> Double? {
    var total = 0, annotated = 0
    for s in 0..<slices {
      let count = scribbleSize(slice: s)
      if count > 0 { total += count; annotated += 1 }
    }
    return annotated > 0 ? Double(total) / Double(annotated) : nil
  }
}
