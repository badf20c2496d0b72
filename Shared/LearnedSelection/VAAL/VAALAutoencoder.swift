// VAAL's VAE (spec §5.9, al-seg `vaal.py`): a stride-2 conv encoder to μ and logvar and a mirrored
// transposed-conv decoder. Parameter names follow the PyTorch module's state_dict.

import NeuralNet
import TensorCore

/// The VAAL variational autoencoder for 1-channel square slices of side `side`.
///
/// Encoder: `Conv(1→c₀, 4, s2, p1) → ReLU`, then per level `Conv(cᵢ₋₁→cᵢ) → BN → ReLU`, flatten
/// `c_last·b·b` (b = side / 2^levels), `fc_mu` and `fc_logvar` to the latent size.
/// Decoder: `Linear(latent → c_last·b·b)` → reshape → per level `ConvT(4, s2, p1)` with BN + ReLU
/// except after the last, which outputs 1 channel. Encoder convs and the decoder linear get
/// Kaiming-normal weights and zero biases; `fc_mu`, `fc_logvar` and the ConvTs keep PyTorch's
/// default init (VAAL's `kaiming_init` skips them).
public struct VAALAutoencoder: Sendable {
  /// Encoder channels per level.
  public let channels: [Int]
  /// Latent size.
  public let latentDimensions: Int
  /// Input side length.
  public let side: Int

  let encoderConvs: [Conv2d]
  let encoderNorms: [BatchNorm2d?]
  let fcMu: Linear
  let fcLogvar: Linear
  let decoderLinear: Linear
  let decoderConvs: [ConvTranspose2d]
  let decoderNorms: [BatchNorm2d]

  public init(channels: [Int], latentDimensions: Int, side: Int) {
    let levels = channels.count
    precondition(
      levels > 0 && side % (1 << levels) == 0, "VAALAutoencoder: side \(side) must be divisible by 2^\(levels)")
    self.channels = channels
    self.latentDimensions = latentDimensions
    self.side = side
    var convs: [Conv2d] = [], norms: [BatchNorm2d?] = []
    for i in 0..<levels {
      let index = i == 0 ? 0 : 2 + 3 * (i - 1)
      convs.append(
        Conv2d(
          name: "encoder.\(index)", inputChannels: i == 0 ? 1 : channels[i - 1], outputChannels: channels[i],
          kernelSize: 4, stride: 2, padding: 1))
      norms.append(i == 0 ? nil : BatchNorm2d(name: "encoder.\(index + 1)", channels: channels[i]))
    }
    encoderConvs = convs
    encoderNorms = norms
    let flat = channels[levels - 1] * (side >> levels) * (side >> levels)
    fcMu = Linear(name: "fc_mu", inputFeatures: flat, outputFeatures: latentDimensions)
    fcLogvar = Linear(name: "fc_logvar", inputFeatures: flat, outputFeatures: latentDimensions)
    decoderLinear = Linear(name: "decoder.0", inputFeatures: latentDimensions, outputFeatures: flat)
    let mirrored = Array(channels.reversed()) + [1]
    decoderConvs = (0..<levels).map {
      ConvTranspose2d(
        name: "decoder.\(2 + 3 * $0)", inputChannels: mirrored[$0], outputChannels: mirrored[$0 + 1], kernelSize: 4,
        stride: 2, padding: 1)
    }
    decoderNorms = (0..<(levels - 1)).map { BatchNorm2d(name: "decoder.\(3 + 3 * $0)", channels: mirrored[$0 + 1]) }
  }

  /// Side of the bottleneck feature map.
  public var bottleneckSide: Int { side >> channels.count }

  /// Registers every parameter and buffer, initialised as VAAL does.
  public func register(in store: inout ParameterStore, using rng: inout some RandomNumberGenerator) {
    for (conv, norm) in zip(encoderConvs, encoderNorms) {
      conv.register(in: &store, using: &rng)
      KaimingNormal.apply(conv.name, in: &store, using: &rng)
      norm?.register(in: &store)
    }
    fcMu.register(in: &store, using: &rng)
    fcLogvar.register(in: &store, using: &rng)
    decoderLinear.register(in: &store, using: &rng)
    KaimingNormal.apply(decoderLinear.name, in: &store, using: &rng)
    for (i, conv) in decoderConvs.enumerated() {
      conv.register(in: &store, using: &rng)
      if i < decoderNorms.count { decoderNorms[i].register(in: &store) }
    }
  }

  // MARK: - Encoder

  /// What the encoder backward needs.
  public struct EncoderCache: Sendable {
    var convs: [Conv2d.Cache] = []
    var norms: [BatchNorm2d.Cache?] = []
    /// Pre-ReLU activations per level.
    var preActivations: [Tensor] = []
    /// flat: (N, c_last·b·b)
    var flat: Tensor
  }

  /// x: (N, 1, side, side) → μ, logvar: (N, latent). Training mode uses and updates batch statistics.
  public func encode(_ x: Tensor, _ store: inout ParameterStore, training: Bool) -> (
    mu: Tensor, logvar: Tensor, cache: EncoderCache
  ) {
    precondition(
      x.rank == 4 && x.shape[1] == 1 && x.shape[2] == side && x.shape[3] == side,
      "VAALAutoencoder expects (N, 1, \(side), \(side)), got \(x.shape)")
    var cache = EncoderCache(flat: Tensor(shape: [0]))
    var h = x
    for (conv, norm) in zip(encoderConvs, encoderNorms) {
      let (y, convCache) = conv(h, store)
      cache.convs.append(convCache)
      h = y
      if let norm {
        let (z, normCache) = norm(h, &store, training: training)
        cache.norms.append(normCache)
        h = z
      } else {
        cache.norms.append(nil)
      }
      cache.preActivations.append(h)
      h = ReLU()(h).0
    }
    let flat = h.reshaped([x.shape[0], h.count / x.shape[0]])
    cache.flat = flat
    return (fcMu(flat, store).0, fcLogvar(flat, store).0, cache)
  }

  /// Accumulates encoder, fc_mu and fc_logvar gradients from dμ and dlogvar: (N, latent).
  public func encoderBackward(dMu: Tensor, dLogvar: Tensor, _ cache: EncoderCache, _ store: inout ParameterStore) {
    var dFlat = fcMu.backward(dMu, cache.flat, &store)
    dFlat.add(fcLogvar.backward(dLogvar, cache.flat, &store))
    var dh = dFlat.reshaped(cache.preActivations[channels.count - 1].shape)
    for i in stride(from: channels.count - 1, through: 0, by: -1) {
      dh = ReLU().backward(dh, cache.preActivations[i])
      if let norm = encoderNorms[i], let normCache = cache.norms[i] { dh = norm.backward(dh, normCache, &store) }
      if i > 0 {
        dh = encoderConvs[i].backward(dh, cache.convs[i], &store)
      } else {  // the input is data: weights only
        let (dw, db) = Convolution.backwardWeights(cache.convs[0].input, dh, geometry: cache.convs[0].geometry)
        store.accumulateGradient("\(encoderConvs[0].name).weight", dw)
        store.accumulateGradient("\(encoderConvs[0].name).bias", db)
      }
    }
  }

  // MARK: - Decoder

  /// What the decoder backward needs.
  public struct DecoderCache: Sendable {
    var z: Tensor
    var convs: [ConvTranspose2d.Cache] = []
    var norms: [BatchNorm2d.Cache] = []
    var preActivations: [Tensor] = []
  }

  /// z: (N, latent) → reconstruction (N, 1, side, side).
  public func decode(_ z: Tensor, _ store: inout ParameterStore, training: Bool) -> (Tensor, DecoderCache) {
    let n = z.shape[0], b = bottleneckSide
    var cache = DecoderCache(z: z)
    var h = decoderLinear(z, store).0.reshaped([n, channels[channels.count - 1], b, b])
    for (i, conv) in decoderConvs.enumerated() {
      let (y, convCache) = conv(h, store)
      cache.convs.append(convCache)
      h = y
      if i < decoderNorms.count {
        let (normed, normCache) = decoderNorms[i](h, &store, training: training)
        cache.norms.append(normCache)
        cache.preActivations.append(normed)
        h = ReLU()(normed).0
      }
    }
    return (h, cache)
  }

  /// Accumulates decoder gradients from dRecon: (N, 1, side, side); returns dz: (N, latent).
  public func decoderBackward(_ dRecon: Tensor, _ cache: DecoderCache, _ store: inout ParameterStore) -> Tensor {
    var dh = dRecon
    for i in stride(from: decoderConvs.count - 1, through: 0, by: -1) {
      if i < decoderNorms.count {
        dh = ReLU().backward(dh, cache.preActivations[i])
        dh = decoderNorms[i].backward(dh, cache.norms[i], &store)
      }
      dh = decoderConvs[i].backward(dh, cache.convs[i], &store)
    }
    return decoderLinear.backward(dh.reshaped([cache.z.shape[0], dh.count / cache.z.shape[0]]), cache.z, &store)
  }
}
