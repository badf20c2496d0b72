// The GCL model (method spec §3.2): ResNet encoder + projection head. Train mode gives projections for the
// contrastive losses, eval mode gives the encoder feature used for Coreset.

import NeuralNet
import TensorCore

/// Encoder (`encoder.…`) and projection head (`projector.0`, `projector.2`) over one `ParameterStore`.
public struct ContrastiveNet: Sendable {
  public let config: EncoderConfig
  public let encoder: ResNetEncoder
  public let head: ProjectionHead

  public init(config: EncoderConfig) {
    self.config = config
    encoder = ResNetEncoder(name: "encoder", config: config)
    head = ProjectionHead(
      name: "projector", featureDimension: config.featureDimension,
      projectionDimension: config.projectionDimension)
  }

  /// A store with freshly initialised parameters (PyTorch / torchvision init), seeded by `rng`.
  public func makeParameters(using rng: inout some RandomNumberGenerator) -> ParameterStore {
    var store = ParameterStore()
    encoder.register(in: &store, using: &rng)
    head.register(in: &store, using: &rng)
    return store
  }

  public struct Cache: Sendable {
    var encoder: ResNetEncoder.Cache
    var head: ProjectionHead.Cache
  }

  /// Training forward: x: (N, Cin, H, W) → (feature (N, F), projection z (N, P)). Updates BN running statistics.
  public func project(_ x: Tensor, _ store: inout ParameterStore) -> (feature: Tensor, z: Tensor, cache: Cache) {
    let (f, ec) = encoder(x, &store, training: true)
    let (z, hc) = head(f, store)
    return (f, z, Cache(encoder: ec, head: hc))
  }

  /// Backward from dz: (N, P); accumulates every gradient and returns dx.
  @discardableResult
  public func backward(_ dz: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    let df = head.backward(dz, cache.head, &store)
    return encoder.backward(df, cache.encoder, &store)
  }

  /// Backward from dz: (N, P) that accumulates every gradient but not dx (what training needs).
  public func accumulateGradients(_ dz: Tensor, _ cache: Cache, _ store: inout ParameterStore) {
    encoder.accumulateGradients(head.backward(dz, cache.head, &store), cache.encoder, &store)
  }

  /// Eval-mode embedding (running BN statistics): x: (N, Cin, H, W) → (N, F). The store is not changed.
  public func embed(_ x: Tensor, _ store: ParameterStore) -> Tensor {
    var s = store
    return encoder(x, &s, training: false).0
  }

  /// Copies every tensor of `pretrained` whose name and shape match a tensor of `store` (e.g. ImageNet ResNet-18
  /// weights converted to a `Checkpoint`, names prefixed `encoder.`); the rest keep their fresh init, as the paper
  /// keeps a fresh 1-channel conv1 and drops `fc`. Returns the names loaded and the names skipped.
  @discardableResult
  public static func loadMatching(_ pretrained: ParameterStore, into store: inout ParameterStore)
    -> (loaded: [String], skipped: [String])
  {
    var loaded: [String] = [], skipped: [String] = []
    for name in pretrained.names + pretrained.bufferNames {
      let value = pretrained.values[name] ?? pretrained.buffers[name]!
      let target = store.values[name]?.shape ?? store.buffers[name]?.shape
      if target == value.shape {
        store.load(name, value)
        loaded.append(name)
      } else {
        skipped.append(name)
      }
    }
    return (loaded, skipped)
  }
}
