// Async access for service handlers: runs blocking store calls on a GCD queue, never on the
// cooperative thread pool (which has only as many threads as cores).

import Dispatch

extension Store {
  /// The queue that ``perform(_:)`` runs blocking calls on (concurrent: reads overlap, GRDB serializes writes).
  static let blockingQueue = DispatchQueue(label: "activeseg.persistence.blocking", attributes: .concurrent)

  /// Runs `body` with this store off the cooperative pool and returns its result.
  ///
  ///     let images = try await store.perform { try $0.images(ids: ids) }
  public func perform<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Store.blockingQueue.async {
        continuation.resume(with: Result { try body(self) })
      }
    }
  }
}
