// A trained GCL model saved with NeuralNet's Checkpoint (config + named tensors) restores the same embeddings.

import MetricLearning
import NeuralNet
import Randomness
import TensorCore
import Testing

@Suite struct CheckpointRoundTripTests {
  @Test func trainingConfigAndWeightsRoundTrip() throws {
    let config = ContrastiveTrainingConfig(encoder: .tiny, epochs: 1, seed: 4)
    let trainer = try ContrastiveTrainer(config: config)
    var store = trainer.initialParameters()
    // move the BN running statistics away from their init so the buffers matter
    var rng = SplitMix64(seed: 8)
    for name in store.bufferNames {
      store.load(name, Tensor(uniform: store.buffers[name]!.shape, in: 0.5...1.5, using: &rng))
    }
    let bytes = try Checkpoint(config: config, store: store).encoded()
    let restored = try Checkpoint<ContrastiveTrainingConfig>(decoding: bytes)
    #expect(restored.config == config)
    var fresh = ContrastiveNet(config: restored.config.encoder).makeParameters(using: &rng)
    try restored.apply(to: &fresh)
    let data = SyntheticCohort(patients: 2, volumes: 1, slices: 3, size: 8, seed: 1)
    let a = FeatureExtractor(config: .tiny, store: store).embeddings(data.images)
    let b = FeatureExtractor(config: .tiny, store: fresh).embeddings(data.images)
    #expect(a == b)
  }

  @Test func paperAndCPUConfigsDecodeFromJSON() throws {
    for c in [EncoderConfig.paper, .cpu, .tiny] {
      let bytes = try Checkpoint(config: c, store: ParameterStore()).encoded()
      #expect(try Checkpoint<EncoderConfig>(decoding: bytes).config == c)
    }
  }
}
