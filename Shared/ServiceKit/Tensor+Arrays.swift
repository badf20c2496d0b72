// Wire tensors <-> Swift arrays, with errors that name the tensor and what was expected.
import Foundation
import Messaging
import Protos

public typealias WireTensor = Activeseg_V1_Tensor

extension WireTensor {
  /// A float32 tensor of `shape` holding `values` (little-endian, as on every supported platform).
  public init(float32 values: [Float], shape: [Int]) {
    precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not hold \(values.count) values")
    self.init()
    dtype = .float32
    self.shape = shape.map(Int64.init)
    data = values.withUnsafeBytes { Data($0) }
  }

  /// A uint8 tensor of `shape` holding `values`.
  public init(uint8 values: [UInt8], shape: [Int]) {
    precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not hold \(values.count) values")
    self.init()
    dtype = .uint8
    self.shape = shape.map(Int64.init)
    data = Data(values)
  }

  public var elementCount: Int { shape.reduce(1) { $0 * Int($1) } }

  /// The values of a float32 tensor; throws INVALID_ARGUMENT naming `what` when it is not one.
  public func floats(_ what: String) throws -> [Float] {
    guard dtype == .float32 else {
      throw ServiceError(.invalidArgument, "\(what) must be a FLOAT32 tensor, got \(dtype)")
    }
    try checkSize(what, bytesPerElement: 4)
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  /// The values of a uint8 tensor; throws INVALID_ARGUMENT naming `what` when it is not one.
  public func bytes(_ what: String) throws -> [UInt8] {
    guard dtype == .uint8 else { throw ServiceError(.invalidArgument, "\(what) must be a UINT8 tensor, got \(dtype)") }
    try checkSize(what, bytesPerElement: 1)
    return [UInt8](data)
  }

  private func checkSize(_ what: String, bytesPerElement: Int) throws {
    guard shape.allSatisfy({ $0 >= 0 }), data.count == elementCount * bytesPerElement else {
      throw ServiceError(
        .invalidArgument,
        "\(what): shape \(shape) needs \(elementCount * bytesPerElement) bytes of data, got \(data.count)")
    }
  }
}
