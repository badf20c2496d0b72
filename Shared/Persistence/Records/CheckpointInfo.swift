// A stored model checkpoint's metadata (without its bytes).

import Foundation

/// Metadata of a model checkpoint.
public struct CheckpointInfo: Sendable, Equatable {
  public var id: Int64
  /// What the model is, for example `unet`, `unet-dmpls`, `encoder`.
  public var kind: String
  public var experimentId: Int64?
  public var roundId: Int64?
  /// Free-form metadata (training plan, metrics) as JSON object text.
  public var metadataJSON: String
  /// Size of the checkpoint blob in bytes.
  public var byteCount: Int
  public var createdAt: Date
}
