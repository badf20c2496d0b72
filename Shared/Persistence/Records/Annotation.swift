// A label record: who labeled which slice, how, at what cost.

import Foundation

/// One annotation of a slice. Several may exist per slice; the latest wins.
public struct Annotation: Sendable, Equatable {
  public var id: Int64
  public var sliceId: Int64
  public var kind: AnnotationKind
  public var annotator: String
  /// `(height, width)` label values; scribbles carry ``AnnotationKind/ignoreValue`` where unlabeled.
  public var pixels: [UInt8]
  /// The slice's size: `pixels` holds `height · width` values, row-major.
  public var height: Int
  public var width: Int
  /// Number of labeled pixels (all pixels for a full mask; non-ignore pixels for a scribble).
  public var labeledPixels: Int
  /// Annotation time charged, in seconds.
  public var costSeconds: Double
  public var createdAt: Date
}
