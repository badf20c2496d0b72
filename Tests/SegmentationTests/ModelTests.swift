// SegmentationModel: checkpoint round trip, the inference path against the NeuralNet forward, label prediction
// at the original size, and (MC-dropout) probabilities.

import NeuralNet
import Randomness
import Segmentation
import TensorCore
import TestSupport
import Testing

@Suite struct ModelTests {
  func model(_ kind: AnnotationKind, seed: UInt64 = 1) -> SegmentationModel {
    let preset = TrainingPreset.smoke
    let config = SegmentationModelConfig(
      preset: preset, network: preset.networkConfig(classes: 3), kind: kind, seed: seed, member: 0)
    var rng = SplitMix64(seed: seed)
    return SegmentationModel(config: config, using: &rng)
  }

  func input(_ n: Int, size: Int = 32, seed: UInt64 = 2) -> Tensor {
    var rng = SplitMix64(seed: seed)
    return Tensor(uniform: [n, 1, size, size], in: -1...1, using: &rng)
  }

  @Test func checkpointRoundTrip() throws {
    for kind in AnnotationKind.allCases {
      let m = model(kind)
      let back = try SegmentationModel(checkpoint: m.checkpoint())
      #expect(back.config == m.config)
      #expect(back.store.names == m.store.names && back.store.bufferNames == m.store.bufferNames)
      for name in m.store.names { #expect(back.store[name].data == m.store[name].data) }
      var rng = SplitMix64(seed: 0)
      #expect(
        back.logits(input(2), dropout: false, using: &rng).data == m.logits(input(2), dropout: false, using: &rng).data)
    }
    #expect(throws: SegmentationError.self) { try SegmentationModel(checkpoint: [1, 2, 3, 4, 5, 6, 7, 8]) }
  }

  @Test func inferenceHeadIsTheNetworksEvaluationForward() {
    let x = input(3)
    var rng = SplitMix64(seed: 4)
    let full = model(.full)
    var store = full.store
    let reference = UNet(config: full.config.network).forward(x, &store, training: false, using: &rng).0
    #expect(Approx.equal(full.logits(x, dropout: false, using: &rng).data, reference.data, rtol: 1e-6, atol: 1e-7))
    let cct = model(.scribble)
    var cstore = cct.store
    let main = UNetCCT(config: cct.config.network).forward(x, &cstore, training: false, auxiliary: false, using: &rng)
      .main
    #expect(Approx.equal(cct.logits(x, dropout: false, using: &rng).data, main.data, rtol: 1e-6, atol: 1e-7))
  }

  @Test func mcDropoutChangesOutputsOnlyWithNonZeroDropout() {
    let x = input(2)
    var rng = SplitMix64(seed: 5)
    let m = model(.full)
    let eval = m.logits(x, dropout: false, using: &rng).data
    let a = m.logits(x, dropout: true, using: &rng).data, b = m.logits(x, dropout: true, using: &rng).data
    #expect(!Approx.equal(a, eval, rtol: 1e-4, atol: 1e-5) && !Approx.equal(a, b, rtol: 1e-4, atol: 1e-5))
    var noDrop = m.config
    noDrop.network.dropout = [0, 0, 0]
    let quiet = SegmentationModel(config: noDrop, store: m.store)
    #expect(Approx.equal(quiet.logits(x, dropout: true, using: &rng).data, eval, rtol: 1e-6, atol: 1e-7))
  }

  @Test func inferenceGraphIsTheLayerByLayerForward() {
    for kind in AnnotationKind.allCases {
      let m = model(kind)
      let graph = m.inferenceGraph()
      for n in [3, 1] {
        let x = input(n, seed: UInt64(n))
        var a = SplitMix64(seed: 11), b = SplitMix64(seed: 11)
        let fused = graph.run(x, dropout: false, using: &a), reference = m.logits(x, dropout: false, using: &b)
        #expect(Approx.worstRatio(fused.data, reference.data, rtol: 1e-4, atol: 1e-5) <= 1)
        // MC dropout: the same masks from the same generator
        let mcFused = graph.run(x, dropout: true, using: &a), mcReference = m.logits(x, dropout: true, using: &b)
        #expect(Approx.worstRatio(mcFused.data, mcReference.data, rtol: 1e-4, atol: 1e-5) <= 1)
        #expect(a.next() == b.next())
      }
      #expect(graph.compilations == 2)
    }
  }

  @Test func mcProbabilitiesArePassMajorBatchesOfTheReference() {
    let m = model(.full)
    var rng = SplitMix64(seed: 12)
    let slices = (0..<3).map { _ in SyntheticDisks.slice(size: 32, using: &rng).image }
    let passes = 30, batch = SegmentationModel.inferenceBatch(imageSize: 32)
    let fused = m.predictProbabilities(slices, mcPasses: passes, seed: 3)
    // items run pass-major (item t·3 + k is slice k at pass t), `batch` at a time, masks from SplitMix64(seed: 3)
    var reference = SplitMix64(seed: 3)
    let items = passes * slices.count
    #expect(batch < items)  // so batches straddle passes
    for start in stride(from: 0, to: items, by: batch) {
      let part = (start..<min(start + batch, items)).map { slices[$0 % slices.count].values }
      let p = Softmax.forward(
        m.logits(Tensor(shape: [part.count, 1, 32, 32], data: part.flatMap { $0 }), dropout: true, using: &reference))
      let per = 3 * 1024
      for (k, item) in (start..<min(start + batch, items)).enumerated() {
        let got = Array(
          fused[item % slices.count].data[((item / slices.count) * per)..<((item / slices.count + 1) * per)])
        #expect(Approx.worstRatio(got, Array(p.data[(k * per)..<((k + 1) * per)]), rtol: 1e-4, atol: 1e-5) <= 1)
      }
    }
  }

  @Test func probabilitiesHaveOnePassOrTAndSumToOne() throws {
    let m = model(.scribble)
    var rng = SplitMix64(seed: 6)
    let slices = (0..<3).map { _ in SyntheticDisks.slice(size: 40, using: &rng).image }
    let single = m.predictProbabilities(slices, mcPasses: 0, seed: 1)
    #expect(single.count == 3 && single.allSatisfy { $0.shape == [1, 3, 32, 32] })
    let mc = m.predictProbabilities(slices, mcPasses: 4, seed: 7)
    #expect(mc.allSatisfy { $0.shape == [4, 3, 32, 32] })
    for p in single + mc {
      let plane = 32 * 32
      for t in 0..<p.shape[0] {
        for s in stride(from: 0, to: plane, by: 37) {
          let total = (0..<3).reduce(Float(0)) { $0 + p.data[(t * 3 + $1) * plane + s] }
          #expect(abs(total - 1) < 1e-5)
        }
      }
    }
    let firstPass = Array(mc[0].data[0..<(3 * 1024)]), secondPass = Array(mc[0].data[(3 * 1024)..<(6 * 1024)])
    #expect(!Approx.equal(firstPass, secondPass, rtol: 1e-4, atol: 1e-6))
    #expect(m.predictProbabilities(slices, mcPasses: 4, seed: 7).map(\.data) == mc.map(\.data))
    #expect(m.predictProbabilities(slices, mcPasses: 4, seed: 8)[0].data != mc[0].data)
    // the deterministic pass is the softmax of the evaluation logits of the resized slice
    var unused = SplitMix64(seed: 0)
    let resized = NearestZoom.resize(slices[1], height: 32, width: 32)
    let expected = Softmax.forward(
      m.logits(Tensor(shape: [1, 1, 32, 32], data: resized.values), dropout: false, using: &unused))
    #expect(Approx.equal(single[1].data, expected.data, rtol: 1e-5, atol: 1e-6))
  }

  @Test func labelsComeBackAtTheOriginalSize() {
    let m = model(.full)
    var rng = SplitMix64(seed: 8)
    let a = SyntheticDisks.slice(size: 20, using: &rng).image
    let b = Plane(height: 45, width: 27, values: (0..<(45 * 27)).map { _ in Float(rng.uniform(0, 1)) })
    let labels = m.predictLabels([a, b])
    #expect(labels[0].height == 20 && labels[0].width == 20 && labels[1].height == 45 && labels[1].width == 27)
    #expect(labels.allSatisfy { $0.values.allSatisfy { $0 < 3 } })
    // each label is the argmax at model size, resized back with the order-0 zoom
    var unused = SplitMix64(seed: 0)
    let small = NearestZoom.resize(b, height: 32, width: 32)
    let logits = m.logits(Tensor(shape: [1, 1, 32, 32], data: small.values), dropout: false, using: &unused)
    var argmax = [UInt8](repeating: 0, count: 1024)
    for s in 0..<1024 {
      let v = (0..<3).map { logits.data[$0 * 1024 + s] }
      argmax[s] = UInt8(v.firstIndex(of: v.max()!)!)
    }
    #expect(
      labels[1].values == NearestZoom.resize(Plane(height: 32, width: 32, values: argmax), height: 45, width: 27).values
    )
  }
}
