// Mapping between `ServiceError` and the wire's `activeseg.v1.Status`.
import Protos

public typealias WireStatus = Activeseg_V1_Status

extension ServiceError {
  /// The error a reply's status stands for, or nil when the status is OK.
  public init?(status: WireStatus) {
    guard status.code != .ok else { return nil }
    self.init(Code(rawValue: status.code.rawValue), status.message)
  }

  /// Any error as a service error: a `ServiceError` as it is, anything else as INTERNAL naming it.
  public init(wrapping error: any Error) {
    if let error = error as? ServiceError {
      self = error
    } else {
      self.init(.internal, "unexpected failure: \(error)")
    }
  }

  public var status: WireStatus {
    var status = WireStatus()
    status.code = Activeseg_V1_StatusCode(rawValue: code.rawValue) ?? .internal
    status.message = cause.map { "\(message) (cause: \($0))" } ?? message
    return status
  }
}
