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
    try JSONDecoder().decode(T.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
  }
}

struct LossCase: Decodable {
  var loss: Double
  var grad: PackedTensor
}

struct LossFixtures: Decodable {
  var z: PackedTensor
  var batch_size: Int
  var roles: [String]
  var temperature: Float
  var ntxent: LossCase
  var neg: LossCase
  var pos_all_others: LossCase
  var pos_volume: LossCase
  var pos_patient: LossCase
  var total_paper: LossCase
  var total_code: LossCase
}

struct EncoderCase: Decodable {
  var stem: String
  var state: [String: PackedTensor]
  var x: PackedTensor
  var feature: PackedTensor
  var z: PackedTensor
  var r: PackedTensor
  var grads: [String: PackedTensor]
  var dx: PackedTensor
  var running: [String: PackedTensor]
  var eval_feature: PackedTensor
}

struct EncoderFixtures: Decodable {
  var small: EncoderCase
  var imagenet: EncoderCase
}
