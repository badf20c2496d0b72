// How a command fails at run time, with the exit codes of sysexits(3): a usage mistake is ArgumentParser's
// ValidationError (usage text, 64); everything else prints its message alone and exits with its kind's code.
import ArgumentParser
import Messaging

/// A runtime failure of a command: the message says what went wrong and how to fix it.
struct CLIFailure: Error, CustomStringConvertible {
  enum Kind: Int32 {
    /// EX_DATAERR: the input (a file, a definition, a request) was refused.
    case dataError = 65
    /// EX_NOINPUT: what the command names (a dataset, an experiment, a slice) does not exist.
    case notFound = 66
    /// EX_SOFTWARE: a service failed inside; its log says why.
    case software = 70
    /// EX_UNAVAILABLE: a service the command needs is down or stopped replying.
    case unavailable = 69
    /// EX_CANTCREAT: an output file or folder cannot be written.
    case cannotCreate = 73
    /// EX_TEMPFAIL: refused for now (rate limit, busy); try again later.
    case temporary = 75
    /// EX_NOPERM: the key is unknown or its role may not do this.
    case permission = 77
  }

  let kind: Kind
  let message: String
  var description: String { message }

  static func refused(_ message: String) -> CLIFailure { CLIFailure(kind: .dataError, message: message) }
  static func unavailable(_ message: String) -> CLIFailure { CLIFailure(kind: .unavailable, message: message) }

  /// A service's error reply, with its code kept as the exit code; `context` prefixes the message.
  init(_ error: ServiceError, context: String? = nil) {
    switch error.code {
    case .unavailable, .deadlineExceeded, .cancelled: kind = .unavailable
    case .internal, .unimplemented: kind = .software
    case .resourceExhausted: kind = .temporary
    case .notFound: kind = .notFound
    case .unauthenticated, .permissionDenied: kind = .permission
    default: kind = .dataError
    }
    message = (context.map { $0 + ": " } ?? "") + error.message
  }

  init(kind: Kind, message: String) {
    self.kind = kind
    self.message = message
  }

  /// The exit codes as `--help` lists them.
  static let exitCodesHelp = """
    Exit codes: 0 done; 64 usage mistake (with the usage text); 65 input refused (a file, a definition, a \
    request); 66 what it names (a dataset, an experiment, a slice) does not exist; 69 a service is down or stopped replying (its name is in the message); 70 a service failed inside \
    (see its log); 73 an output file cannot be written; 75 refused for now (rate limit), try again; 77 the key may not do this.
    """
}

/// Runs a call and turns a service's error reply into a CLIFailure that keeps its code.
func serviceCall<T>(_ context: String? = nil, _ body: () async throws -> T) async throws -> T {
  do { return try await body() } catch let error as ServiceError { throw CLIFailure(error, context: context) }
}
