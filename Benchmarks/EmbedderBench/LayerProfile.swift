// `EmbedderBench layers SIZE [THREADS] [cpu|paper]`: times every convolution of the encoder (forward, backward
// data, backward weights, with the oneDNN kernel names), batch norm and ReLU at batch 9, to see where a step goes.

import Dispatch
import Foundation
import MetricLearning
import NeuralNet
import Randomness
import TensorCore

enum LayerProfile {
  static func milliseconds(repeats: Int = 3, _ body: () -> Void) -> Double {
    body()
    let t0 = DispatchTime.now()
    for _ in 0..<repeats { body() }
    return Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6 / Double(repeats)
  }

  static func run(encoder: EncoderConfig, size: Int, batch: Int) {
    let net = ResNetEncoder(name: "encoder", config: encoder)
    // each conv with the side of its input: the stem sees the image, stage s (after a pooled stem: /4) size >> s
    let base = encoder.stem == .small ? size : size / 4
    var convs: [(Conv2d, Int)] = [(net.stemConv, size)]
    var k = 0
    for (s, count) in encoder.blocksPerStage.enumerated() {
      for j in 0..<count {
        let b = net.blocks[k], inSide = s > 0 && j == 0 ? base >> (s - 1) : base >> s
        convs += [(b.conv1, inSide), (b.conv2, base >> s)] + (b.downsample.map { [($0.conv, inSide)] } ?? [])
        k += 1
      }
    }
    var rng = SplitMix64(seed: 1)
    var store = ParameterStore()
    net.register(in: &store, using: &rng)
    var total = 0.0
    for (conv, h) in convs {
      let w = h
      let x = Tensor(uniform: [batch, conv.inputChannels, h, w], in: -1...1, using: &rng)
      let (y, cache) = conv(x, store)
      let dy = Tensor(uniform: y.shape, in: -1...1, using: &rng)
      let f = milliseconds { _ = conv(x, store) }
      let bd = milliseconds {
        _ = Convolution.backwardData(dy, weight: store["\(conv.name).weight"], geometry: cache.geometry)
      }
      let bw = milliseconds { _ = Convolution.backwardWeights(x, dy, geometry: cache.geometry) }
      let bn = BatchNorm2d(name: "bn", channels: conv.outputChannels)
      var s = ParameterStore()
      bn.register(in: &s)
      let (_, bc) = bn(y, &s, training: true)
      let bnf = milliseconds { _ = bn(y, &s, training: true) }
      let bnb = milliseconds { _ = bn.backward(dy, bc, &s) }
      let rf = milliseconds { _ = Activation.leakyReLU(y, slope: 0) }
      let rb = milliseconds { _ = Activation.leakyReLUBackward(dy, input: y, slope: 0) }
      total += f + bd + bw + bnf + bnb + rf + rb
      print(
        String(
          format: "%-28@ %@→%@: conv fwd %7.1f bwd-data %7.1f bwd-w %7.1f | bn %6.1f/%6.1f relu %5.1f/%5.1f ms  %@",
          conv.name as NSString, "\(x.shape)" as NSString, "\(y.shape)" as NSString, f, bd, bw, bnf, bnb, rf, rb,
          Convolution.implementations(cache.geometry).joined(separator: ", ") as NSString))
    }
    print(String(format: "sum of one view batch's layers: %.1f ms (× 2 views per step)", total))
  }
}
