// The checks a service's handlers run on a decoded request before any work, for every request type at once:
// each tensor anywhere in the message is read the way handlers read tensors (floats/bytes, which check dtype,
// shape and size), and each experiment definition is parsed as the gateway parses it.
import Experiments
import Foundation
import Protos
import ServiceKit
import SwiftProtobuf

enum RequestChecks {
  /// Runs the handlers' checks over `message`; each check may throw a clear error, and must not trap.
  static func run(_ message: some SwiftProtobuf.Message) {
    var visitor = CheckVisitor()
    visitor.check(message)
    try? message.traverse(visitor: &visitor)
  }
}

/// Walks a message and its sub-messages, checking the fields handlers interpret.
struct CheckVisitor: SwiftProtobuf.Visitor {
  mutating func visitSingularMessageField<M: Message>(value: M, fieldNumber: Int) throws {
    check(value)
    try value.traverse(visitor: &self)
  }

  mutating func visitRepeatedMessageField<M: Message>(value: [M], fieldNumber: Int) throws {
    for element in value { try visitSingularMessageField(value: element, fieldNumber: fieldNumber) }
  }

  func check(_ value: some Message) {
    switch value {
    case let tensor as WireTensor:
      _ = try? tensor.floats("fuzzed tensor")
      _ = try? tensor.bytes("fuzzed tensor")
    case let request as Activeseg_V1_RunExperimentRequest:
      _ = try? ExperimentDefinition(yaml: request.configYaml)
    case let experiment as Activeseg_V1_Experiment:
      _ = try? ExperimentDefinition(yaml: experiment.configYaml)
    default: break
    }
  }

  // MARK: - Fields no handler interprets beyond their decoded value

  mutating func visitSingularDoubleField(value: Double, fieldNumber: Int) throws {}
  mutating func visitSingularInt64Field(value: Int64, fieldNumber: Int) throws {}
  mutating func visitSingularUInt64Field(value: UInt64, fieldNumber: Int) throws {}
  mutating func visitSingularBoolField(value: Bool, fieldNumber: Int) throws {}
  mutating func visitSingularStringField(value: String, fieldNumber: Int) throws {}
  mutating func visitSingularBytesField(value: Data, fieldNumber: Int) throws {}
  mutating func visitSingularEnumField<E: Enum>(value: E, fieldNumber: Int) throws {}
  mutating func visitMapField<K, V: MapValueType>(
    fieldType: _ProtobufMap<K, V>.Type, value: _ProtobufMap<K, V>.BaseType,
    fieldNumber: Int
  ) throws {}
  mutating func visitMapField<K, V>(
    fieldType: _ProtobufEnumMap<K, V>.Type, value: _ProtobufEnumMap<K, V>.BaseType,
    fieldNumber: Int
  ) throws where V.RawValue == Int {}
  mutating func visitMapField<K, V>(
    fieldType: _ProtobufMessageMap<K, V>.Type, value: _ProtobufMessageMap<K, V>.BaseType,
    fieldNumber: Int
  ) throws {
    for element in value.values { try visitSingularMessageField(value: element, fieldNumber: fieldNumber) }
  }
  mutating func visitUnknown(bytes: Data) throws {}
}
