// The one error type that crosses service boundaries: a code, a message that says how to fix it, a cause.
import Foundation

/// An error a service returns to its caller. It maps 1:1 to `activeseg.v1.Status` in every reply.
public struct ServiceError: Error, Sendable, CustomStringConvertible, Equatable {
  /// What kind of failure; the values of `activeseg.v1.StatusCode`.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public let name: String
    init(_ rawValue: Int, _ name: String) {
      self.rawValue = rawValue
      self.name = name
    }
    public var description: String { name }

    public static let invalidArgument = Code(1, "INVALID_ARGUMENT")
    public static let notFound = Code(2, "NOT_FOUND")
    public static let alreadyExists = Code(3, "ALREADY_EXISTS")
    public static let failedPrecondition = Code(4, "FAILED_PRECONDITION")
    public static let unavailable = Code(5, "UNAVAILABLE")
    public static let deadlineExceeded = Code(6, "DEADLINE_EXCEEDED")
    public static let `internal` = Code(7, "INTERNAL")
    public static let unimplemented = Code(8, "UNIMPLEMENTED")
    public static let unauthenticated = Code(9, "UNAUTHENTICATED")
    public static let permissionDenied = Code(10, "PERMISSION_DENIED")
    public static let resourceExhausted = Code(11, "RESOURCE_EXHAUSTED")
    public static let cancelled = Code(12, "CANCELLED")

    static let all: [Code] = [
      .invalidArgument, .notFound, .alreadyExists, .failedPrecondition, .unavailable, .deadlineExceeded,
      .internal, .unimplemented, .unauthenticated, .permissionDenied, .resourceExhausted, .cancelled
    ]

    /// The code for a raw status value; unknown values (a newer peer) read as `.internal`.
    public init(rawValue: Int) {
      self = Code.all.first { $0.rawValue == rawValue } ?? .internal
    }
  }

  public var code: Code
  public var message: String
  public var cause: String?

  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause.map { "\($0)" }
  }

  public var description: String {
    cause.map { "\(code): \(message) (cause: \($0))" } ?? "\(code): \(message)"
  }

  public static func == (lhs: ServiceError, rhs: ServiceError) -> Bool {
    lhs.code == rhs.code && lhs.message == rhs.message
  }
}
