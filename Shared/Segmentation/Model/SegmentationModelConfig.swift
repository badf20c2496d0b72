// What a segmentation checkpoint records besides its tensors: the preset it was trained with, the network
// shape, which of the two UNets it is, and the seed and ensemble member that made it.

import NeuralNet

/// Config stored as JSON in every segmentation `Checkpoint`; enough to rebuild the model.
public struct SegmentationModelConfig: Codable, Sendable, Hashable {
  public var preset: TrainingPreset
  public var network: UNetConfig
  /// `.full` → `UNet`, `.scribble` → `UNetCCT` (inference uses its main decoder).
  public var kind: AnnotationKind
  public var seed: UInt64
  public var member: Int

  public init(preset: TrainingPreset, network: UNetConfig, kind: AnnotationKind, seed: UInt64, member: Int) {
    self.preset = preset
    self.network = network
    self.kind = kind
    self.seed = seed
    self.member = member
  }
}
