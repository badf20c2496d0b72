// Inference of method spec §2.6: slices resized (order-0 zoom) to the model size, evaluation-mode forward through
// the main decoder, argmax, resized back; class probabilities with optional Monte-Carlo dropout (§5, BALD).
// Predictions run on the fused, blocked-layout InferenceGraph in large batches; `logits` is the layer-by-layer
// reference that the tests hold it to.

import NeuralNet
import Randomness
import TensorCore

extension SegmentationModel {
  /// Slices per inference run at side `imageSize`: 4 at 256², 64 at 64² (a fixed pixel budget, at most 64).
  public static func inferenceBatch(imageSize s: Int) -> Int { max(1, min(64, 262_144 / max(1, s * s))) }

  /// The evaluation-mode network as a fused, blocked-layout `InferenceGraph` (batch norm folded into the
  /// convolutions, LeakyReLU as a post-op, MC dropout as nodes). Build it once per job and pass it to the
  /// predict functions; it compiles once per batch shape.
  public func inferenceGraph() -> InferenceGraph {
    UNetInference.graph(encoder: encoder, decoder: decoder, store: store)
  }

  /// Logits (N, classes, S, S) of the inference head for x: (N, inputChannels, S, S). Batch norm uses its
  /// running statistics; with `dropout` the encoder's element-wise dropout stays active (MC dropout).
  /// The layer-by-layer reference: `inferenceGraph().run(x, dropout:using:)` gives the same for the same rng.
  public func logits(_ x: Tensor, dropout: Bool, using rng: inout some RandomNumberGenerator) -> Tensor {
    var store = self.store
    guard dropout else {
      let (features, _) = encoder(x, &store, training: false, using: &rng)
      return decoder(features, &store, training: false, using: &rng).0
    }
    var features: [Tensor] = []
    var h = x
    for (i, block) in encoder.blocks.enumerated() {
      if i > 0 { h = encoder.pool(h).0 }
      h = block.conv1(h, store).0
      h = block.bn1(h, &store, training: false).0
      h = block.act(h).0
      h = block.drop(h, training: true, using: &rng).0
      h = block.conv2(h, store).0
      h = block.bn2(h, &store, training: false).0
      h = block.act(h).0
      features.append(h)
    }
    return decoder(features, &store, training: false, using: &rng).0
  }

  /// Stacks planes already at the model size into (N, 1, S, S).
  func batchTensor(_ planes: ArraySlice<Plane<Float>>) -> Tensor {
    let s = imageSize
    var data: [Float] = []
    data.reserveCapacity(planes.count * s * s)
    for p in planes { data += p.values }
    return Tensor(shape: [planes.count, 1, s, s], data: data)
  }

  /// Per-pixel argmax of (N, C, H, W) → N label planes of H×W (first maximum wins, as torch.argmax).
  static func argmax(_ t: Tensor) -> [Plane<UInt8>] {
    let (n, c, h, w) = t.nchw
    let plane = h * w
    return (0..<n).map { i in
      var out = [UInt8](repeating: 0, count: plane)
      for s in 0..<plane {
        var best = t.data[i * c * plane + s], arg = 0
        for k in 1..<c where t.data[(i * c + k) * plane + s] > best { best = t.data[(i * c + k) * plane + s]; arg = k }
        out[s] = UInt8(arg)
      }
      return Plane(height: h, width: w, values: out)
    }
  }

  /// Predicted labels of any-size slices: each resized to the model size, argmax, resized back.
  public func predictLabels(_ slices: [Plane<Float>], graph: InferenceGraph? = nil) -> [Plane<UInt8>] {
    let s = imageSize
    let graph = graph ?? inferenceGraph()
    let resized = slices.map { NearestZoom.resize($0, height: s, width: s) }
    var rng = SplitMix64(seed: 0)
    var out: [Plane<UInt8>] = []
    let batch = Self.inferenceBatch(imageSize: s)
    for start in stride(from: 0, to: resized.count, by: batch) {
      let part = resized[start..<min(start + batch, resized.count)]
      let labels = Self.argmax(graph.run(batchTensor(part), dropout: false, using: &rng))
      for (k, label) in labels.enumerated() {
        let original = slices[start + k]
        out.append(NearestZoom.resize(label, height: original.height, width: original.width))
      }
    }
    return out
  }

  /// The label volume (D·H·W) predicted slice by slice and stacked in slice order.
  public func predictVolume(_ volume: LabeledVolume) -> [UInt8] {
    predictVolume(volume, graph: inferenceGraph())
  }

  func predictVolume(_ volume: LabeledVolume, graph: InferenceGraph) -> [UInt8] {
    predictLabels((0..<volume.depth).map(volume.imageSlice), graph: graph).flatMap(\.values)
  }

  /// 3D Dice and HD95 per foreground class on every volume, averaged (method spec §2.6).
  public func evaluate(_ volumes: [LabeledVolume]) -> EvaluationSummary {
    let graph = inferenceGraph()
    return EvaluationSummary(
      volumes: volumes.map { v in
        SegmentationMetrics.evaluate(
          prediction: predictVolume(v, graph: graph), truth: v.label, shape: [v.depth, v.height, v.width],
          spacing: v.spacing, classes: classes)
      })
  }

  /// Softmax probabilities per slice at the model size, each (T, classes, S, S). `mcPasses == 0` gives one
  /// deterministic pass (T = 1); `mcPasses = T ≥ 1` gives T passes with dropout active and batch norm in
  /// evaluation mode, the dropout masks drawn from `SplitMix64(seed:)`.
  ///
  /// The T × slices forwards run pass-major (pass 0 of every slice, then pass 1, …) in batches of
  /// `inferenceBatch(imageSize:)` across pass boundaries, each batch drawing its masks as one `logits` call would.
  public func predictProbabilities(_ slices: [Plane<Float>], mcPasses: Int, seed: UInt64, graph: InferenceGraph? = nil)
    -> [Tensor]
  {
    precondition(mcPasses >= 0, "mcPasses must be ≥ 0, got \(mcPasses)")
    let s = imageSize, c = classes, plane = s * s, perSlice = c * plane
    let graph = graph ?? inferenceGraph()
    let resized = slices.map { NearestZoom.resize($0, height: s, width: s) }
    let passes = max(mcPasses, 1), items = passes * slices.count
    var out = (0..<slices.count).map { _ in Tensor(uninitializedShape: [passes, c, s, s]) }
    var rng = SplitMix64(seed: seed)
    let batch = Self.inferenceBatch(imageSize: s)
    var input = [Float](repeating: 0, count: batch * plane)
    for start in stride(from: 0, to: items, by: batch) {
      let count = min(batch, items - start)
      if input.count != count * plane { input = [Float](repeating: 0, count: count * plane) }
      input.withUnsafeMutableBufferPointer { dst in
        for k in 0..<count {
          resized[(start + k) % slices.count].values.withUnsafeBufferPointer { src in
            (dst.baseAddress! + k * plane).update(from: src.baseAddress!, count: plane)
          }
        }
      }
      let p = Softmax.forward(
        graph.run(Tensor(shape: [count, 1, s, s], data: input), dropout: mcPasses > 0, using: &rng))
      p.data.withUnsafeBufferPointer { src in
        for k in 0..<count {
          let item = start + k, slice = item % slices.count, pass = item / slices.count
          out[slice].data.withUnsafeMutableBufferPointer { dst in
            (dst.baseAddress! + pass * perSlice).update(from: src.baseAddress! + k * perSlice, count: perSlice)
          }
        }
      }
    }
    return out
  }
}
