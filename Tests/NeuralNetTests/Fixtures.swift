// Loads the PyTorch-made JSON fixtures (Fixtures/*.json, written by Fixtures/make_fixtures.py).

import Foundation
import NeuralNet
import TensorCore

struct PackedTensor: Decodable {
  var shape: [Int]
  var data: [Float]
  var tensor: Tensor { Tensor(shape: shape, data: data) }
}

enum Fixture {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    let data = try Data(contentsOf: folder.appendingPathComponent(name))
    return try JSONDecoder().decode(T.self, from: data)
  }

  static func labels(_ values: [Int], _ shape: [Int]) -> LabelMap {
    LabelMap(shape: shape, values: values.map { UInt8($0) })
  }
}

struct LayerCase: Decodable {
  var x: PackedTensor
  var y: PackedTensor
  var dy: PackedTensor?
  var dx: PackedTensor?
  var params: [String: PackedTensor]
  var grads: [String: PackedTensor]?
  var buffers: [String: PackedTensor]
}

struct LossCase: Decodable {
  var logits: PackedTensor
  var labels: [Int]
  var labels_shape: [Int]
  var loss: Float
  var grad: PackedTensor
}

struct DMPLSCase: Decodable {
  var main: PackedTensor
  var aux: PackedTensor
  var labels: [Int]
  var labels_shape: [Int]
  var beta: Float
  var loss: Float
  var grad_main: PackedTensor
  var grad_aux: PackedTensor
}

struct LossFixtures: Decodable {
  var cross_entropy: LossCase
  var dice: LossCase
  var pdice: LossCase
  var dice_ce: LossCase
  var dmpls: DMPLSCase
}

struct NetConfig: Decodable {
  var channels: [Int]
  var classes: Int
  var input_channels: Int
}

struct UNetFixture: Decodable {
  var config: NetConfig
  var state: [String: PackedTensor]
  var x: PackedTensor
  var labels: [Int]
  var labels_shape: [Int]
  var logits: PackedTensor
  var loss: Float
  var grads: [String: PackedTensor]
  var running_after_forward: [String: PackedTensor]
  var sgd_losses: [Float]
  var eval_logits_after_sgd: PackedTensor
  var parameter_count: Int
}

struct UNetCCTFixture: Decodable {
  var config: NetConfig
  var state: [String: PackedTensor]
  var x: PackedTensor
  var labels: [Int]
  var labels_shape: [Int]
  var beta: Float
  var main: PackedTensor
  var aux: PackedTensor
  var loss: Float
  var grads: [String: PackedTensor]
}

extension ParameterStore {
  /// Loads every tensor of a PyTorch state_dict fixture, prefixing names with `prefix`.
  mutating func load(_ state: [String: PackedTensor], prefix: String = "") {
    for (k, v) in state { load(prefix + k, v.tensor) }
  }
}
