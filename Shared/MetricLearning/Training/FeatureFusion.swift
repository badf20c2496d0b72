// Coreset feature fusion (method spec §3.8): the resized pixels followed by the embedding, each value repeated.

/// The "fusion" feature row of method spec §3.8: `[pixels ‖ repeat(E, r)]`, each embedding value repeated r times
/// consecutively, r = ⌊proportion · #pixels / #embedding⌋ (12 for 256² pixels, 512-d E, proportion 0.10).
public enum FeatureFusion {
  public static func repeats(pixelCount: Int, embeddingCount: Int, proportion: Double = 0.10) -> Int {
    Int(proportion * Double(pixelCount) / Double(embeddingCount))
  }

  public static func fuse(pixels: [Float], embedding: [Float], proportion: Double = 0.10) -> [Float] {
    let r = repeats(pixelCount: pixels.count, embeddingCount: embedding.count, proportion: proportion)
    var out = pixels
    out.reserveCapacity(pixels.count + r * embedding.count)
    for e in embedding { out += repeatElement(e, count: r) }
    return out
  }
}
