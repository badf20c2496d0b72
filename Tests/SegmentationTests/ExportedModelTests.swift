// `activeseg export --model`: a model as safetensors with WSL4MIS state_dict names, checked against PyTorch
// through fixtures (Fixtures/exported_model/make_exported_model.py): files PyTorch wrote load into ActiveSeg's
// networks and give PyTorch's logits, and ActiveSeg's own export of them is byte for byte the file PyTorch was
// shown to load (load_state_dict(strict=True)) with the same logits.

import Foundation
import NeuralNet
import Randomness
import Segmentation
import TensorCore
import Testing

@Suite struct ExportedModelTests {
  struct Packed: Decodable {
    let shape: [Int]
    let data: [Float]
  }

  struct Reference: Decodable {
    let channels: [Int]
    let dropout: [Float]
    let classes: Int
    let x: Packed
    let unet: Packed
    let unet_cct: Packed
  }

  struct Checked: Decodable {
    let sha256: String
    let max_abs_difference: Double
  }

  static let folder = Fixtures.folder.appendingPathComponent("exported_model")
  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
  }

  let reference: Reference

  init() throws {
    reference = try JSONDecoder().decode(
      Reference.self, from: Data(contentsOf: Self.folder.appendingPathComponent("logits.json")))
  }

  func config(_ kind: AnnotationKind) -> SegmentationModelConfig {
    SegmentationModelConfig(
      preset: .smoke,
      network: UNetConfig(
        inputChannels: 1, classes: reference.classes, channels: reference.channels,
        dropout: reference.dropout),
      kind: kind, seed: 0, member: 0)
  }

  static func name(_ kind: AnnotationKind) -> String { kind == .full ? "unet" : "unet_cct" }

  @Test(arguments: AnnotationKind.allCases)
  func pytorchsFileGivesPytorchsLogits(kind: AnnotationKind) throws {
    let model = try SegmentationModel(
      safetensors: try Self.bytes("torch_\(Self.name(kind)).safetensors"), config: config(kind),
      file: "torch_\(Self.name(kind)).safetensors")
    var rng = SplitMix64(seed: 0)
    let logits = model.logits(Tensor(shape: reference.x.shape, data: reference.x.data), dropout: false, using: &rng)
    let expected = kind == .full ? reference.unet : reference.unet_cct
    #expect(logits.shape == expected.shape)
    let worst = zip(logits.data, expected.data).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst < 1e-4, "largest logit difference from PyTorch: \(worst)")
  }

  @Test(arguments: AnnotationKind.allCases)
  func ourExportIsTheFilePytorchLoaded(kind: AnnotationKind) throws {
    let name = Self.name(kind)
    let model = try SegmentationModel(
      safetensors: try Self.bytes("torch_\(name).safetensors"), config: config(kind), file: "torch_\(name).safetensors")
    let exported = try model.safetensors()
    if ProcessInfo.processInfo.environment["ACTIVESEG_WRITE_EXPORT_FIXTURE"] == "1" {
      try Data(exported).write(to: Self.folder.appendingPathComponent("activeseg_\(name).safetensors"))
    }
    #expect(
      exported == (try Self.bytes("activeseg_\(name).safetensors")),
      "the export changed: re-run make_exported_model.py --check as its header says, so PyTorch checks the new bytes")
    let checked = try JSONDecoder().decode(
      [String: Checked].self, from: Data(contentsOf: Self.folder.appendingPathComponent("checked.json")))
    let record = try #require(checked[name], "checked.json has no \(name): run make_exported_model.py --check")
    #expect(record.sha256 == Self.sha256Hex(exported), "checked.json records PyTorch's check of other bytes")
    #expect(record.max_abs_difference < 1e-5)
  }

  @Test func exportReadsBackToTheSameModel() throws {
    for kind in AnnotationKind.allCases {
      var rng = SplitMix64(seed: 9)
      let model = SegmentationModel(config: config(kind), using: &rng)
      let back = try SegmentationModel(
        safetensors: try model.safetensors(metadata: ["note": "test"]), config: config(kind), file: "m.safetensors")
      for name in model.store.names { #expect(back.store[name].data == model.store[name].data, "\(name)") }
      for name in model.store.bufferNames {
        #expect(back.store.buffers[name]!.data == model.store.buffers[name]!.data, "\(name)")
      }
    }
  }

  @Test func aFileOfAnotherNetworkIsRefusedNamingTheDifference() throws {
    let torchUNet = try Self.bytes("torch_unet.safetensors")
    // A full-mask UNet's file given as a scribble model (UNet_CCT): the auxiliary decoder is missing.
    let wrongKind = #expect(throws: SegmentationError.self) {
      try SegmentationModel(safetensors: torchUNet, config: config(.scribble), file: "torch_unet.safetensors")
    }
    #expect(
      wrongKind?.message.contains("missing") == true && wrongKind?.message.contains("UNet_CCT") == true,
      "\(wrongKind?.message ?? "")")
    // Other widths: shapes differ.
    var wider = config(.full)
    wider.network = UNetConfig(
      inputChannels: 1, classes: reference.classes, channels: reference.channels.map { $0 * 2 },
      dropout: reference.dropout)
    let wrongShape = #expect(throws: SegmentationError.self) {
      try SegmentationModel(safetensors: torchUNet, config: wider, file: "torch_unet.safetensors")
    }
    #expect(wrongShape?.message.contains("has shape") == true, "\(wrongShape?.message ?? "")")
    #expect(throws: SegmentationError.self) {
      try SegmentationModel(safetensors: [1, 2, 3], config: config(.full), file: "short")
    }
  }

  @Test func theConfigJSONReadsBack() throws {
    let source = ExportedModelConfig.Source(
      experiment: 3, strategy: "ours", seed: 0, round: 2, member: 0, members: 1, checkpoint: 17)
    let written = ExportedModelConfig(
      model: config(.scribble), height: 32, width: 32, classNames: ["background", "RV", "MYO", "LV"], source: source)
    let back = try ExportedModelConfig(json: try written.json(), file: "m.json")
    #expect(back == written && back.architecture == "UNet_CCT")
    let text = String(decoding: try written.json(), as: UTF8.self)
    #expect(text.contains("\"inputChannels\" : 1") && text.contains("\"classNames\""), "\(text)")
    #expect(throws: SegmentationError.self) { try ExportedModelConfig(json: Data("{}".utf8), file: "m.json") }
  }

  /// SHA-256 as lowercase hex (FIPS 180-4), enough for a fixture check.
  static func sha256Hex(_ message: [UInt8]) -> String {
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    let k: [UInt32] = [
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01,
      0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6,
      0x240ca1cc,
      0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3,
      0xd5a79147,
      0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
      0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08,
      0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814,
      0x8cc70208,
      0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    ]
    var data = message
    data.append(0x80)
    while data.count % 64 != 56 { data.append(0) }
    let bits = UInt64(message.count) * 8
    for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    for chunk in stride(from: 0, to: data.count, by: 64) {
      var w = [UInt32](repeating: 0, count: 64)
      for i in 0..<16 {
        w[i] = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(data[chunk + 4 * i + $1]) }
      }
      for i in 16..<64 {
        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for i in 0..<64 {
        let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.map { String(format: "%08x", $0) }.joined()
  }
}
