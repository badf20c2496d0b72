// Everything a strategy may measure, as plain arrays indexed by pool row. Each strategy
// reads the fields it needs and throws `missingData` naming the field when one is absent.

/// The inputs of a selection round; every matrix has one row per pool slice, in pool order.
public struct SelectionData: Sendable {
  /// Image intensities, `(slices, pixels)` (vanilla Coreset and the pixel term of "ours").
  public var pixels: FeatureMatrix?
  /// The same intensities pixel-major; "ours" uses it when present and otherwise transposes
  /// `pixels` once (a second copy). Pass only this for "ours" to hold a single copy.
  public var pixelColumns: PixelColumns?
  /// Contrastive embeddings, `(slices, dims)` ("ours", embedding Coreset, TypiClust).
  public var embeddings: FeatureMatrix?
  /// Scribble label maps, `(slices, pixels)` (the pixel mask of "ours").
  public var scribbles: ScribbleMasks?
  /// Ensemble softmax outputs, `(models, slices, classes, pixels)` (entropy, variance ratio,
  /// stochastic batches, foreground-aware random).
  public var ensembleProbabilities: ClassProbabilities?
  /// MC-dropout softmax outputs, one entry per model, each `(passes, slices, classes, pixels)` (BALD).
  public var dropoutProbabilities: [ClassProbabilities]?
  /// The same passes reduced per model to the mean softmax and mean pass entropy (BALD); used
  /// instead of `dropoutProbabilities` when present.
  public var dropoutSummaries: [DropoutSummary]?
  /// Revealed or predicted label maps, `(slices, pixels)` (foreground-aware random); takes
  /// precedence over `ensembleProbabilities` for that strategy.
  public var labelMaps: ScribbleMasks?

  public init(
    pixels: FeatureMatrix? = nil, pixelColumns: PixelColumns? = nil, embeddings: FeatureMatrix? = nil,
    scribbles: ScribbleMasks? = nil,
    ensembleProbabilities: ClassProbabilities? = nil, dropoutProbabilities: [ClassProbabilities]? = nil,
    dropoutSummaries: [DropoutSummary]? = nil, labelMaps: ScribbleMasks? = nil
  ) {
    self.pixels = pixels
    self.pixelColumns = pixelColumns
    self.embeddings = embeddings
    self.scribbles = scribbles
    self.ensembleProbabilities = ensembleProbabilities
    self.dropoutProbabilities = dropoutProbabilities
    self.dropoutSummaries = dropoutSummaries
    self.labelMaps = labelMaps
  }

  /// Throws `missingData` naming `field` for `strategy` when `value` is nil.
  func require<T>(_ value: T?, _ field: String, for strategy: String) throws(SelectionError) -> T {
    guard let value else {
      throw SelectionError(
        code: .missingData,
        message: "strategy '\(strategy)' needs SelectionData.\(field); compute it for every pool slice and pass it in")
    }
    return value
  }

  /// Throws `shapeMismatch` unless `rows` equals the pool size.
  func check(rows: Int, _ field: String, pool: SelectionPool) throws(SelectionError) {
    guard rows == pool.count else {
      throw SelectionError(
        code: .shapeMismatch,
        message:
          "SelectionData.\(field) has \(rows) rows but the pool has \(pool.count) slices; pass one row per pool slice in pool order"
      )
    }
  }
}
