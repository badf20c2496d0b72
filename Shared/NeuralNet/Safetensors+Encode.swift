// Writing a store in the safetensors format, so that `safetensors.torch.load_file` and then
// `model.load_state_dict` read it in PyTorch: every parameter and buffer as F32, names sorted (equal stores give
// equal bytes), the header padded with spaces to a multiple of 8 bytes as the reference writer does. Bytes out; no I/O.

import Foundation
import TensorCore

extension Safetensors {
  /// The parameters and buffers of `store` as a safetensors file; `metadata` becomes the header's `__metadata__`
  /// (string values only, as the format requires).
  public static func encode(_ store: ParameterStore, metadata: [String: String] = [:]) throws -> [UInt8] {
    var tensors: [(String, Tensor)] = store.names.map { ($0, store[$0]) }
    tensors += store.bufferNames.map { ($0, store.buffers[$0]!) }
    tensors.sort { $0.0 < $1.0 }
    var header: [String: Any] = [:]
    var offset = 0
    for (name, tensor) in tensors {
      header[name] =
        ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.count]] as [String: Any]
      offset += 4 * tensor.count
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
    var out: [UInt8] = []
    out.reserveCapacity(8 + json.count + offset)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    out += json
    for (_, tensor) in tensors {
      for value in tensor.data { withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
    }
    return out
  }
}
