// Wire tensors read as handlers read them: a shape from the wire may claim anything, and every claim that is
// not a tensor is an INVALID_ARGUMENT naming it, never a trap.
import Foundation
import Messaging
import Protos
import ServiceKit
import Testing

@Suite struct WireTensorTests {
  /// FuzzRequests (scripts/bench fuzz, 2026-12-04): an AnnotateSubmit whose mask claims the shape
  /// [35, 7, 14, 21, 28, 35, 105, 4661225614328463312] made `elementCount` overflow, a trap that would stop the
  /// gateway (or any service reading a tensor). The request's bytes as the fuzzer wrote them.
  @Test func aShapeWhoseProductOverflowsIsRefusedNotATrap() throws {
    let payload = Data(
      [
        0x08, 0x03, 0x10, 0x09, 0x20, 0x02, 0x2a, 0x18, 0x0a, 0x02, 0x04, 0x04, 0x10, 0x02, 0x0a, 0x10, 0x23, 0x07,
        0x0e, 0x15, 0x1c, 0x23, 0x69, 0xd0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xd7, 0x40
      ])
    let request = try Activeseg_V1_AnnotateSubmitRequest(serializedBytes: payload)
    #expect(request.mask.elementCount == nil)
    let error = #expect(throws: ServiceError.self) { _ = try request.mask.bytes("mask of slice 9") }
    #expect(error?.code == .invalidArgument)
    #expect(
      error?.message.contains("mask of slice 9: shape") == true && error?.message.contains("not a tensor shape") == true
    )
  }

  @Test func negativeAndHugeShapesAreRefusedAndAGoodOneReads() throws {
    var tensor = WireTensor(uint8: [1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(try tensor.bytes("t") == [1, 2, 3, 4, 5, 6])
    for shape: [Int64] in [[-1, -6], [Int64.max, 2], [1 << 62, 4]] {
      tensor.shape = shape
      #expect(throws: ServiceError.self, "\(shape)") { _ = try tensor.bytes("t") }
    }
    var floats = WireTensor(float32: [1, 2], shape: [2])
    floats.shape = [Int64.max / 2]  // fits in Int, but not times 4 bytes
    #expect(throws: ServiceError.self) { _ = try floats.floats("f") }
    floats.shape = [3]
    let short = #expect(throws: ServiceError.self) { _ = try floats.floats("f") }
    #expect(short?.message.contains("needs 12 bytes of data, got 8") == true)
  }
}
