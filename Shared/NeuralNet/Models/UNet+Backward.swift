// Hand-written backward pass of the UNets: decoder (out_conv → up1), splitting the gradient at each skip
// concat into the encoder feature it came from, then the encoder from the deepest level up to the input.

import TensorCore

extension Decoder {
  /// Walks out_conv and the up-blocks in reverse. Returns the gradient for every encoder feature
  /// (index i = level i), with the skip gradients and the deepest feature's gradient already separated.
  public func backward(_ dLogits: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> [Tensor] {
    let levels = ups.count + 1
    var dFeatures = [Tensor?](repeating: nil, count: levels)
    var d = outConv.backward(dLogits, cache.out!, &store)  // (N, ch[0], H, W)
    for i in stride(from: ups.count - 1, through: 0, by: -1) {
      let (dDeep, dSkip) = ups[i].backward(d, cache.ups[i], &store)
      dFeatures[levels - 2 - i] = dSkip  // skip of up(i+1) is level levels−2−i
      d = dDeep
    }
    dFeatures[levels - 1] = d  // the bottleneck feature
    return dFeatures.map { $0! }
  }
}

extension UNet {
  /// Accumulates every parameter gradient for dLogits: (N, classes, H, W); returns dx.
  @discardableResult
  public func backward(_ dLogits: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    let dFeatures = decoder.backward(dLogits, cache.decoder, &store)
    return encoder.backward(dFeatures, cache.encoder, &store)
  }
}

extension UNetCCT {
  /// Accumulates gradients from both heads. The encoder features receive the main decoder's gradient plus the
  /// auxiliary decoder's gradient passed back through the same channel-dropout masks. Returns dx.
  @discardableResult
  public func backward(main dMain: Tensor, aux dAux: Tensor, _ cache: Cache, _ store: inout ParameterStore) -> Tensor {
    var dFeatures = mainDecoder.backward(dMain, cache.main, &store)
    let dAuxFeatures = auxDecoder.backward(dAux, cache.aux, &store)
    for i in 0..<dFeatures.count {
      dFeatures[i].add(featureDropout.backward(dAuxFeatures[i], cache.masks[i]))
    }
    return encoder.backward(dFeatures, cache.encoder, &store)
  }
}
