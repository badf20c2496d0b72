// The storage service's methods: each translates wire messages to Persistence calls and back.
// Database work runs off the cooperative pool (`Store.perform`).
import Foundation
import Logging
import Messaging
import Persistence
import Protos
import ServiceKit

struct StorageHandlers: Sendable {
  let store: Store
  let logger: Logger

  func register(on router: inout RPCRouter) {
    registerDatasets(on: &router)
    registerLabels(on: &router)
    registerModels(on: &router)
    registerPredictions(on: &router)
    registerExperiments(on: &router)
    registerScans(on: &router)
  }

  /// Runs `body` on the store off the cooperative pool, mapping store and import errors to service errors.
  func run<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
    do {
      return try await store.perform(body)
    } catch {
      throw ServiceError(storageError: error)
    }
  }
}

extension ServiceError {
  /// Store and dataset errors keep their message; their code maps to the closest status.
  init(storageError error: any Error) {
    switch error {
    case let error as ServiceError: self = error
    case let error as StoreError:
      let code: Code =
        switch error.code {
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .invalidInput: .invalidArgument
        case .schemaTooNew, .readOnly: .failedPrecondition
        case .diskFull: .resourceExhausted
        default: .internal
        }
      self.init(code, error.message, cause: error.cause)
    case let error as DatasetErrorDescribing: self.init(.invalidArgument, error.importMessage)
    default: self.init(.internal, "storage failed: \(error)")
    }
  }
}

/// Errors from dataset readers, described for the caller (implemented in StorageHandlers+Datasets.swift).
protocol DatasetErrorDescribing { var importMessage: String { get } }

// MARK: - Enum mapping between the wire and the store

extension Split {
  init?(wire: Activeseg_V1_Split) {
    switch wire {
    case .train: self = .train
    case .val: self = .val
    case .test: self = .test
    default: return nil
    }
  }

  var wire: Activeseg_V1_Split {
    switch self {
    case .train: .train
    case .val: .val
    case .test: .test
    }
  }
}

extension AnnotationKind {
  init?(wire: Activeseg_V1_AnnotationKind) {
    switch wire {
    case .scribble: self = .scribble
    case .full: self = .full
    default: return nil
    }
  }

  var wire: Activeseg_V1_AnnotationKind { self == .scribble ? .scribble : .full }

  /// The kind a request names; INVALID_ARGUMENT when it names none.
  static func required(_ wire: Activeseg_V1_AnnotationKind, _ what: String) throws -> AnnotationKind {
    guard let kind = AnnotationKind(wire: wire) else {
      throw ServiceError(.invalidArgument, "\(what): kind must be SCRIBBLE or FULL")
    }
    return kind
  }
}

extension Date {
  var unixMilliseconds: Int64 { Int64(timeIntervalSince1970 * 1000) }
}
