// The knobs of the "ours" distance (spec §4.2, §3.8) with the released ACDC defaults:
// pos_wt 1500, label_wt 1, default_pos_val 0, normalize_pos_by_label_ct true, fusion 10 %.

/// Weights of `d(x,c) = pixelWeight·‖(I_x−I_c)⊙√m_c‖₂ / nnz(m_c) + embeddingWeight·‖E_x−E_c‖₂`,
/// where `m_c[p] = labelWeight` on the center's scribbled pixels and `defaultWeight` elsewhere.
public struct OursDistanceConfiguration: Sendable, Equatable {
  /// `pos_wt` (1500 in "ours").
  public var pixelWeight: Float
  /// `label_wt`: mask value on scribbled pixels (1).
  public var labelWeight: Float
  /// `default_pos_val`: mask value on unscribbled pixels (0 in "ours").
  public var defaultWeight: Float
  /// `normalize_pos_by_label_ct`: divide the pixel term (after the square root) by nnz(mask).
  public var normalizeByLabelCount: Bool
  /// Factor on the embedding distance; nil derives `√r` with `r = ⌊proportion·pixels/dims⌋` (spec §3.8).
  public var embeddingWeight: Float?
  /// `fuse_image_data_size_prop` (0.10), used only when `embeddingWeight` is nil.
  public var fusionProportion: Double

  public init(pixelWeight: Float = 1500, labelWeight: Float = 1, defaultWeight: Float = 0,
              normalizeByLabelCount: Bool = true, embeddingWeight: Float? = nil, fusionProportion: Double = 0.10) {
    self.pixelWeight = pixelWeight
    self.labelWeight = labelWeight
    self.defaultWeight = defaultWeight
    self.normalizeByLabelCount = normalizeByLabelCount
    self.embeddingWeight = embeddingWeight
    self.fusionProportion = fusionProportion
  }

  /// The embedding weight for rows of `pixels` intensities and `dims`-d embeddings:
  /// `√12` for 256² pixels and 512 dims, `√3` for 128².
  public func resolvedEmbeddingWeight(pixels: Int, dims: Int) -> Float {
    if let embeddingWeight { return embeddingWeight }
    guard dims > 0 else { return 0 }
    let repeats = Int(fusionProportion * Double(pixels) / Double(dims))
    return Float(repeats).squareRoot()
  }
}
