// Coreset features from a trained GCL model (method spec §3.8): the eval-mode encoder output (GAP feature, before
// the projection head) of every slice, without augmentation, and the optional pixel+embedding fusion.

import NeuralNet
import TensorCore

/// Embeds slices with a trained `ContrastiveNet`.
public struct FeatureExtractor: Sendable {
  public let net: ContrastiveNet
  public let store: ParameterStore
  /// Slices per forward pass (the code uses 128).
  public var batchSize: Int

  public init(config: EncoderConfig, store: ParameterStore, batchSize: Int = 128) {
    net = ContrastiveNet(config: config)
    self.store = store
    self.batchSize = batchSize
  }

  /// (N, F) embeddings, row i for `images[i]`, using BN running statistics.
  public func embeddings(_ images: [GrayImage]) -> Tensor {
    let f = net.config.featureDimension
    var out: [Float] = []
    out.reserveCapacity(images.count * f)
    var start = 0
    while start < images.count {
      let chunk = Array(images[start..<min(start + batchSize, images.count)])
      out += net.embed(ContrastiveTrainer.stack(chunk), store).data
      start += chunk.count
    }
    return Tensor(shape: [images.count, f], data: out)
  }
}
