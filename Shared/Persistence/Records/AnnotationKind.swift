// The two kinds of label a slice can receive.

/// A scribble (sparse, unlabeled pixels carry ``AnnotationKind/ignoreValue``) or a full mask.
public enum AnnotationKind: String, Sendable, Codable, CaseIterable {
  case scribble, full

  /// The pixel value of a scribble pixel that was not annotated.
  public static let ignoreValue: UInt8 = 4
}
