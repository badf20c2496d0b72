// Scribbles or full masks: the kind of a training set's labels, which picks the network and the loss.

/// How the training labels were drawn; it picks the model and the loss (method spec §2.3–2.4).
public enum AnnotationKind: String, Codable, Sendable, CaseIterable {
  /// Scribbles, unannotated pixels = the ignore label: `UNetCCT` + DMPLS loss.
  case scribble
  /// Full masks: `UNet` + 0.5·(CE + Dice).
  case full
}
