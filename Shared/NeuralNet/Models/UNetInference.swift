// The evaluation-mode UNet (encoder + one decoder) as a TensorCore InferenceGraph: each Conv → BatchNorm
// (running statistics) → LeakyReLU becomes one convolution with the batch norm folded into its weights and the
// activation fused as a oneDNN post-op; the encoder's dropout becomes MC-dropout nodes.

import TensorCore

/// Builds inference graphs for the UNets of this module.
public enum UNetInference {
  /// The evaluation forward of `encoder` then `decoder` (a `UNet`, or a `UNetCCT`'s main decoder) with the
  /// parameters and running statistics of `store`, as `SegmentationModel.logits` computes it layer by layer.
  public static func graph(encoder: Encoder, decoder: Decoder, store: ParameterStore) -> InferenceGraph {
    let graph = InferenceGraph(inputChannels: encoder.blocks[0].conv1.inputChannels)
    var features: [InferenceGraph.Value] = []
    var h = graph.input
    for (i, block) in encoder.blocks.enumerated() {
      if i > 0 {
        precondition(
          encoder.pool.stride == encoder.pool.kernelSize && encoder.pool.padding == 0,
          "the inference graph pools with stride = kernel and no padding")
        h = graph.maxPool(h, kernel: encoder.pool.kernelSize)
      }
      h = append(block, h, to: graph, store)
      features.append(h)
    }
    h = features[features.count - 1]
    for (i, up) in decoder.ups.enumerated() {
      precondition(
        up.up.stride == up.up.kernelSize && up.up.padding == 0,
        "the inference graph upsamples with stride = kernel and no padding")
      let u = graph.transposedConvolution(h, weight: store["\(up.up.name).weight"], bias: store["\(up.up.name).bias"])
      h = append(up.conv, graph.concat(features[features.count - 2 - i], u), to: graph, store)
    }
    let out = decoder.outConv
    graph.setOutput(
      graph.convolution(h, weight: store["\(out.name).weight"], bias: bias(out, store), padding: out.padding))
    return graph
  }

  /// conv1+bn1+act → dropout → conv2+bn2+act.
  static func append(
    _ block: ConvBlock, _ x: InferenceGraph.Value, to graph: InferenceGraph,
    _ store: ParameterStore
  ) -> InferenceGraph.Value {
    let act = InferenceGraph.Activation.leakyReLU(slope: block.act.negativeSlope)
    let (w1, b1) = folded(block.conv1, block.bn1, store)
    var h = graph.convolution(x, weight: w1, bias: b1, padding: block.conv1.padding, activation: act)
    if block.drop.p > 0 { h = graph.dropout(h, p: block.drop.p) }
    let (w2, b2) = folded(block.conv2, block.bn2, store)
    return graph.convolution(h, weight: w2, bias: b2, padding: block.conv2.padding, activation: act)
  }

  static func bias(_ conv: Conv2d, _ store: ParameterStore) -> Tensor {
    conv.bias ? store["\(conv.name).bias"] : Tensor(shape: [conv.outputChannels])
  }

  /// The convolution with the batch norm's evaluation transform folded in, per output channel o:
  /// W'[o] = W[o]·s[o], b'[o] = (b[o] − μ[o])·s[o] + β[o], s = γ / √(σ² + ε) (running μ, σ²).
  static func folded(_ conv: Conv2d, _ bn: BatchNorm2d, _ store: ParameterStore) -> (weight: Tensor, bias: Tensor) {
    precondition(conv.stride == 1, "\(conv.name): the inference graph runs stride-1 convolutions")
    precondition(bn.channels == conv.outputChannels, "\(bn.name) does not follow \(conv.name)")
    var weight = store["\(conv.name).weight"]
    var bias = bias(conv, store)
    let gamma = store["\(bn.name).weight"].data, beta = store["\(bn.name).bias"].data
    let mean = store.buffers["\(bn.name).running_mean"]!.data, variance = store.buffers["\(bn.name).running_var"]!.data
    let perOutput = weight.count / conv.outputChannels
    for o in 0..<conv.outputChannels {
      let s = gamma[o] / (variance[o] + bn.eps).squareRoot()
      for j in (o * perOutput)..<((o + 1) * perOutput) { weight.data[j] *= s }
      bias.data[o] = (bias.data[o] - mean[o]) * s + beta[o]
    }
    return (weight, bias)
  }
}
