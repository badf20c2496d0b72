// A segmentation model as a safetensors file with the state_dict names of WSL4MIS `networks/unet.py` (UNet for
// full masks, UNet_CCT for scribbles), so PyTorch loads it into that network; and back from such a file, given the
// config it was written with. Bytes in and out; the files are the caller's business.

import Foundation
import NeuralNet
import Randomness
import TensorCore

extension SegmentationModel {
  /// Every parameter and batch-norm running statistic as F32 safetensors (`num_batches_tracked` is left out:
  /// PyTorch's BatchNorm fills it in when a state_dict lacks it).
  public func safetensors(metadata: [String: String] = [:]) throws -> [UInt8] {
    try Safetensors.encode(store, metadata: metadata)
  }

  /// The model of `config` with the weights of a safetensors file (`file` names it in errors). Every tensor the
  /// network has must be in the file with its shape; a tensor the network does not have is refused too, since it
  /// means the file is of another network.
  public init(safetensors bytes: [UInt8], config: SegmentationModelConfig, file: String) throws {
    let decoded: ParameterStore
    do { decoded = try Safetensors.decode(bytes, file: file) } catch let error as CheckpointError {
      throw SegmentationError(.badCheckpoint, error.message)
    }
    var rng = SplitMix64(seed: 0)
    var model = SegmentationModel(config: config, using: &rng)
    let wanted = model.store.names + model.store.bufferNames
    let missing = wanted.filter { decoded.values[$0] == nil }
    let unexpected = Set(decoded.names).subtracting(wanted).sorted()
    guard missing.isEmpty && unexpected.isEmpty else {
      throw SegmentationError(
        .badCheckpoint,
        "\(file) does not hold the weights of a \(config.kind == .full ? "UNet" : "UNet_CCT") "
          + "with channels \(config.network.channels) and \(config.network.classes) classes: missing \(missing.prefix(3)), "
          + "unexpected \(unexpected.prefix(3)); export it again with `activeseg export --model`, or give its own config file"
      )
    }
    for name in wanted {
      let value = decoded.values[name]!
      let expected = model.store.values[name]?.shape ?? model.store.buffers[name]!.shape
      guard value.shape == expected else {
        throw SegmentationError(
          .badCheckpoint, "\(file): tensor '\(name)' has shape \(value.shape), the network's has \(expected)")
      }
      model.store.load(name, value)
    }
    self = model
  }
}
