// Checkpoint round trip, and the errors for foreign, truncated, future-version and mismatched checkpoints.

import Testing
import NeuralNet
import TensorCore
import TestSupport
import Randomness

struct CheckpointTests {
  let config = UNetConfig(channels: [2, 4], dropout: [0, 0.1])

  func makeStore(seed: UInt64) -> ParameterStore {
    var rng = SplitMix64(seed: seed)
    return UNet(config: config).makeParameters(using: &rng)
  }

  @Test func roundTripRestoresEveryTensorAndTheConfig() throws {
    var saved = makeStore(seed: 1)
    saved.buffers["encoder.in_conv.conv_conv.1.running_mean"]!.data[0] = 0.25
    let bytes = try Checkpoint(config: config, store: saved).encoded()
    let loaded = try Checkpoint<UNetConfig>(decoding: bytes)
    #expect(loaded.config == config)
    #expect(loaded.store.names == saved.names)
    var target = makeStore(seed: 2)
    try loaded.apply(to: &target)
    for name in saved.names { #expect(Approx.equal(target[name].data, saved[name].data, rtol: 0, atol: 0)) }
    #expect(abs(target.buffers["encoder.in_conv.conv_conv.1.running_mean"]!.data[0] - 0.25) < 1e-7)
  }

  @Test func badInputGivesClearErrors() throws {
    let bytes = try Checkpoint(config: config, store: makeStore(seed: 1)).encoded()
    #expect(throws: CheckpointError.self) { _ = try Checkpoint<UNetConfig>(decoding: [1, 2, 3, 4, 5, 6, 7, 8]) }
    do {
      _ = try Checkpoint<UNetConfig>(decoding: Array(bytes.prefix(bytes.count / 2)))
      Issue.record("a truncated checkpoint decoded")
    } catch let e as CheckpointError {
      #expect(e.code == .truncated)
    }
    var future = bytes
    future[4] = 9
    do {
      _ = try Checkpoint<UNetConfig>(decoding: future)
      Issue.record("a version-9 checkpoint decoded")
    } catch let e as CheckpointError {
      #expect(e.code == .unsupportedVersion && e.message.contains("version 9"))
    }
    var rng = SplitMix64(seed: 3)
    var other = UNet(config: UNetConfig(channels: [2, 8], dropout: [0, 0])).makeParameters(using: &rng)
    do {
      try Checkpoint<UNetConfig>(decoding: bytes).apply(to: &other)
      Issue.record("a checkpoint applied to a different model")
    } catch let e as CheckpointError {
      #expect(e.code == .mismatch)
    }
  }
}
