// A trained VAAL pair (VAE + discriminator with their parameters) and the scoring the selection
// uses: eval-mode encoder → μ → discriminator logit, per pool row.

import ActiveLearning
import NeuralNet
import TensorCore

/// The VAE and discriminator after training, with per-iteration loss histories.
public struct VAALModel: Sendable {
  public let autoencoder: VAALAutoencoder
  public let discriminator: VAALDiscriminator
  /// VAE parameters and batch-norm running statistics.
  public var autoencoderStore: ParameterStore
  /// Discriminator parameters.
  public var discriminatorStore: ParameterStore
  /// Total VAE loss of the last VAE step of each iteration.
  public var vaeLosses: [Double] = []
  /// Discriminator loss of the last discriminator step of each iteration.
  public var discriminatorLosses: [Double] = []

  public init(
    autoencoder: VAALAutoencoder, discriminator: VAALDiscriminator,
    autoencoderStore: ParameterStore, discriminatorStore: ParameterStore
  ) {
    self.autoencoder = autoencoder
    self.discriminator = discriminator
    self.autoencoderStore = autoencoderStore
    self.discriminatorStore = discriminatorStore
  }

  /// Discriminator logits l (D(μ) = σ(l)) of `rows` of `pixels`, with the encoder in eval mode.
  public func discriminatorLogits(pixels: FeatureMatrix, rows: [Int], batchSize: Int = 128) -> [Float] {
    var store = autoencoderStore  // eval mode reads, never writes, the running statistics
    var out: [Float] = []
    out.reserveCapacity(rows.count)
    for start in stride(from: 0, to: rows.count, by: max(1, batchSize)) {
      let batch = Array(rows[start..<min(start + max(1, batchSize), rows.count)])
      let x = VAALModel.images(pixels, rows: batch, side: autoencoder.side)
      let mu = autoencoder.encode(x, &store, training: false).mu
      out.append(contentsOf: discriminator(mu, discriminatorStore).0.data)
    }
    return out
  }

  /// Rows of a row-major pixel matrix as an image batch (N, 1, side, side).
  static func images(_ pixels: FeatureMatrix, rows: [Int], side: Int) -> Tensor {
    let p = pixels.columns
    precondition(p == side * side, "pixel rows have \(p) values, expected \(side)×\(side)")
    var data = [Float](repeating: 0, count: rows.count * p)
    pixels.values.withUnsafeBufferPointer { v in
      data.withUnsafeMutableBufferPointer { d in
        for (k, row) in rows.enumerated() {
          for j in 0..<p { d[k * p + j] = v[row * p + j] }
        }
      }
    }
    return Tensor(shape: [rows.count, 1, side, side], data: data)
  }
}
