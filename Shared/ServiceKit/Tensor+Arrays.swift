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

  /// The number of values the shape claims; nil when a dimension is negative or the product overflows (a shape
  /// from the wire may claim anything).
  public var elementCount: Int? {
    var count = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
      guard !overflow else { return nil }
      count = product
    }
    return count
  }

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
    guard let count = elementCount, case (let bytes, false) = count.multipliedReportingOverflow(by: bytesPerElement)
    else {
      throw ServiceError(
        .invalidArgument, "\(what): shape \(shape) is not a tensor shape (a negative dimension, or too many values)")
    }
    guard data.count == bytes else {
      throw ServiceError(.invalidArgument, "\(what): shape \(shape) needs \(bytes) bytes of data, got \(data.count)")
    }
  }
}
