// PyTorch references (Fixtures/make_fixtures.py): CoreGCN's graph, forward, loss and gradients on a
// 4-node graph, and a tiny VAAL's VAE step, discriminator steps (both quirk targets) and eval scores.

import Foundation
import NeuralNet
import TensorCore
import Testing
import TestSupport
import ActiveLearning
import Randomness
@testable import LearnedSelection

/// A JSON fixture: named tensors `{"shape": [...], "data": [...]}` and scalars.
struct Fixture {
  let object: [String: Any]

  init(_ name: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }

  func tensor(_ key: String) -> Tensor {
    guard let entry = object[key] as? [String: Any] else { preconditionFailure("fixture has no tensor \(key)") }
    let shape = (entry["shape"] as! [NSNumber]).map(\.intValue)
    return Tensor(shape: shape, data: (entry["data"] as! [NSNumber]).map(\.floatValue))
  }

  func number(_ key: String) -> Double { (object[key] as! NSNumber).doubleValue }
  func ints(_ key: String) -> [Int] { (object[key] as! [NSNumber]).map(\.intValue) }
}

@Suite struct FixtureTests {
  @Test func gcnMatchesPyTorch() throws {
    let f = try Fixture("gcn.json")
    let x = GCNAdjacency.l2Normalized(f.tensor("features"))
    let adjacency = GCNAdjacency.normalized(x)
    #expect(Approx.equal(adjacency.data, f.tensor("adjacency").data, rtol: 1e-4, atol: 1e-5))
    let scorer = GCNScorer(inputFeatures: 3, hiddenUnits: 5, dropout: 0.3)
    var store = ParameterStore()
    for name in ["gc1.weight", "gc1.bias", "gc3.weight", "gc3.bias"] { store.register(name, f.tensor(name)) }
    var rng = SplitMix64(seed: 0)
    let output = scorer(x, adjacency: adjacency, store, training: false, using: &rng)
    #expect(Approx.equal(output.scores.data, f.tensor("scores").data, rtol: 1e-4, atol: 1e-6))
    #expect(Approx.equal(GCNScorer.coresetFeatures(output), f.tensor("coreset").data, rtol: 1e-4, atol: 1e-5))
    let (loss, dScores) = CoreGCNLoss.loss(
      scores: output.scores, labeled: f.ints("labeled"), unlabeled: f.ints("unlabeled"),
      lambda: Float(f.number("lambda")))
    #expect(abs(loss - f.number("loss")) < 1e-5)
    scorer.backward(dScores: dScores, output, adjacency: adjacency, &store)
    for name in ["gc1.weight", "gc1.bias", "gc3.weight", "gc3.bias"] {
      #expect(
        Approx.equal(store.gradients[name]!.data, f.tensor("grad.\(name)").data, rtol: 1e-3, atol: 1e-5), "\(name)")
    }
  }

  /// The fixture's VAE (channels 2, 4; 8×8; latent 3) and discriminator (width 5) with its weights.
  static func vaalModel(_ f: Fixture) -> VAALModel {
    let vae = VAALAutoencoder(channels: [2, 4], latentDimensions: 3, side: 8)
    let disc = VAALDiscriminator(latentDimensions: 3, width: 5)
    var rng = SplitMix64(seed: 0)
    var vaeStore = ParameterStore(), discStore = ParameterStore()
    vae.register(in: &vaeStore, using: &rng)
    disc.register(in: &discStore, using: &rng)
    for name in vaeStore.names + vaeStore.bufferNames { vaeStore.load(name, f.tensor("param.\(name)")) }
    for name in discStore.names { discStore.load(name, f.tensor("param.\(name)")) }
    return VAALModel(autoencoder: vae, discriminator: disc, autoencoderStore: vaeStore, discriminatorStore: discStore)
  }

  @Test func vaalStepsMatchPyTorch() throws {
    let f = try Fixture("vaal.json")
    var c = VAALConfiguration(channels: [2, 4], latentDimensions: 3, discriminatorWidth: 5)
    c.klWeight = Float(f.number("klWeight"))
    c.adversaryWeight = Float(f.number("adversaryWeight"))
    var model = Self.vaalModel(f)
    let initial = model
    var store = model.autoencoderStore
    let recon = model.autoencoder.decode(
      Reparameterization.forward(
        mu: model.autoencoder.encode(f.tensor("xl"), &store, training: true).mu,
        logvar: model.autoencoder.encode(f.tensor("xl"), &store, training: true).logvar,
        noise: f.tensor("noise_l")), &store, training: true
    ).0
    #expect(Approx.equal(recon.data, f.tensor("vae.recon_l").data, rtol: 1e-4, atol: 1e-5))

    model.autoencoderStore.zeroGradients()
    let lossL = VAALTrainer.vaeStep(f.tensor("xl"), noise: f.tensor("noise_l"), &model, c)
    let lossU = VAALTrainer.vaeStep(f.tensor("xu"), noise: f.tensor("noise_u"), &model, c)
    #expect(abs(lossL - f.number("vae.loss_l")) < 1e-4 * max(1, abs(lossL)))
    #expect(abs(lossU - f.number("vae.loss_u")) < 1e-4 * max(1, abs(lossU)))
    for name in model.autoencoderStore.names {
      let ours = model.autoencoderStore.gradients[name]!.data, theirs = f.tensor("vae.grad.\(name)").data
      #expect(
        Approx.equal(ours, theirs, rtol: 2e-3, atol: 2e-5),
        "\(name): worst ratio \(Approx.worstRatio(ours, theirs, rtol: 2e-3, atol: 2e-5))")
    }
    for name in ["encoder.3.running_mean", "encoder.3.running_var", "decoder.3.running_mean", "decoder.3.running_var"] {
      #expect(
        Approx.equal(
          model.autoencoderStore.buffers[name]!.data, f.tensor("vae.buffer.\(name)").data, rtol: 1e-4, atol: 1e-6),
        "\(name)")
    }
    // eval-mode scoring uses those running statistics
    let logits = model.discriminatorLogits(pixels: FeatureMatrixFromImages(f.tensor("xu")), rows: [0, 1, 2])
    #expect(
      Approx.equal(logits.map { Sigmoid.value($0) }, f.tensor("eval.probabilities_u").data, rtol: 1e-4, atol: 1e-6))

    for target in [VAALConfiguration.DiscriminatorTarget.fixed, .faithful] {
      var m = initial
      var ct = c
      ct.discriminatorUnlabeledTarget = target
      m.discriminatorStore.zeroGradients()
      let loss = VAALTrainer.discriminatorStep(f.tensor("xl"), f.tensor("xu"), &m, ct)
      #expect(abs(loss - f.number("disc.\(target.rawValue).loss")) < 1e-5, "\(target)")
      for name in m.discriminatorStore.names {
        #expect(
          Approx.equal(
            m.discriminatorStore.gradients[name]!.data, f.tensor("disc.\(target.rawValue).grad.\(name)").data,
            rtol: 1e-3, atol: 1e-6), "\(target) \(name)")
      }
    }
  }
}

/// Rows of an (N, 1, S, S) batch as a pool pixel matrix.
func FeatureMatrixFromImages(_ x: Tensor) -> FeatureMatrix {
  FeatureMatrix(rows: x.shape[0], columns: x.count / x.shape[0], values: x.data)
}
