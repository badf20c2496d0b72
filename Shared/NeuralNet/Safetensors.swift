// Reading pretrained weights in the safetensors format (8-byte header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw data), the simplest file a PyTorch user can write:
// `safetensors.torch.save_file(model.state_dict(), "resnet18.safetensors")`. Bytes in, tensors out; no I/O.

import Foundation
import TensorCore

public enum Safetensors {
  /// Every F32, F16 or BF16 tensor of the file as a parameter of a store, named `prefix + name`. Integer
  /// tensors (e.g. `num_batches_tracked`) are skipped: they carry no weights.
  public static func decode(_ bytes: [UInt8], prefix: String = "", file: String = "<safetensors>") throws
    -> ParameterStore
  {
    func bad(_ why: String) -> CheckpointError {
      CheckpointError(
        code: .notACheckpoint,
        message: "\(file) is not a readable safetensors file: \(why); write it with safetensors.torch.save_file")
    }
    guard bytes.count >= 8 else { throw bad("it has \(bytes.count) bytes, fewer than the 8-byte header length") }
    let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) {
      $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    guard headerLength <= UInt64(bytes.count - 8) else {
      throw bad("its header length \(headerLength) runs past the end")
    }
    let dataStart = 8 + Int(headerLength)
    guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
      throw bad("its header is not a JSON object")
    }
    var store = ParameterStore()
    for name in header.keys.sorted() where name != "__metadata__" {
      guard let entry = header[name] as? [String: Any], let dtype = entry["dtype"] as? String,
        let shape = (entry["shape"] as? [NSNumber])?.map(\.intValue),
        let offsets = (entry["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
      else {
        throw bad("tensor '\(name)' lacks dtype, shape or data_offsets")
      }
      let count = shape.reduce(1, *)
      let width: Int
      switch dtype {
      case "F32": width = 4
      case "F16", "BF16": width = 2
      case "I64", "I32", "I16", "I8", "U8", "BOOL", "F64": continue
      default: throw bad("tensor '\(name)' has dtype \(dtype), which is not a number type")
      }
      let begin = dataStart + offsets[0], end = dataStart + offsets[1]
      guard offsets[0] >= 0, begin <= end, end <= bytes.count, end - begin == count * width else {
        throw bad(
          "tensor '\(name)' (\(dtype) \(shape)) has byte range \(offsets), which does not fit its shape or the file")
      }
      let values: [Float] = (0..<count).map { i in
        let at = begin + i * width
        switch dtype {
        case "F32":
          return Float(
            bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(
              bytes[at + 3]) << 24)
        case "F16":
          return Float(Float16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
        default:  // BF16: the high half of a float32
          return Float(bitPattern: (UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8) << 16)
        }
      }
      store.register(prefix + name, Tensor(shape: shape, data: values))
    }
    return store
  }
}
