// Reading pretrained weights from safetensors files written by an independent Python encoder, and refusing
// files that are not.

import Foundation
import NeuralNet
import TensorCore
import Testing

@Suite struct SafetensorsTests {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures/weights.safetensors"
  ).path

  @Test func readsFloat32Float16AndBFloat16AndSkipsIntegers() throws {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.file)))
    let store = try Safetensors.decode(bytes, prefix: "encoder.")
    #expect(store.names.sorted() == ["encoder.bn1.bias", "encoder.bn1.weight", "encoder.conv1.weight"])
    let conv = try #require(store.values["encoder.conv1.weight"])
    #expect(conv.shape == [2, 1, 2, 2])
    #expect(conv.data == (0..<8).map { 0.5 * Float($0) - 1 })
    #expect(store.values["encoder.bn1.weight"]?.data == [1.5, -0.25])
    #expect(store.values["encoder.bn1.bias"]?.data == [2, -3])
  }

  @Test func refusesBytesThatAreNotSafetensors() throws {
    let short = #expect(throws: CheckpointError.self) { try Safetensors.decode([1, 2, 3], file: "w.safetensors") }
    #expect(short?.message.contains("w.safetensors") == true)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.file)))
    bytes.removeLast(12)  // the I64 counter and the BF16 bias: the bias no longer fits
    let cut = #expect(throws: CheckpointError.self) { try Safetensors.decode(bytes) }
    #expect(cut?.message.contains("byte range") == true || cut?.message.contains("runs past") == true)
    let notJSON = #expect(throws: CheckpointError.self) {
      try Safetensors.decode([4, 0, 0, 0, 0, 0, 0, 0] + Array("nope".utf8))
    }
    #expect(notJSON?.message.contains("JSON") == true)
  }
}
