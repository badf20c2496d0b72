// Keeps a secured process's allow-lists current: reloads them on SIGHUP and whenever a file changes (checked
// every 250 ms), so a revoked key is refused within a second without a restart. A file that does not parse is
// reported and the list in force stays as it was.
import Dispatch
import Foundation
import Glibc
import Logging
import Messaging
import ServiceLifecycle

/// Reloads every file-backed `AllowListStore` of the process on SIGHUP and on file change.
public struct AllowListReloader: Service {
  public var interval: Duration
  let logger: Logger

  public init(interval: Duration = .milliseconds(250), logger: Logger) {
    self.interval = interval
    self.logger = logger
  }

  public func run() async throws {
    let hangups = AsyncStream<Void> { continuation in
      signal(SIGHUP, SIG_IGN)
      let hangup = SignalSource(SIGHUP) { continuation.yield() }
      continuation.onTermination = { _ in hangup.cancel() }
    }
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        group.addTask {
          for await _ in hangups { reload(force: true) }
        }
        group.addTask {
          while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            reload(force: false)
          }
        }
        await group.next()
        group.cancelAll()
      }
    }
  }

  private func reload(force: Bool) {
    for store in AllowListStore.fileBacked {
      do {
        let revoked = force ? try store.reload() : try store.reloadIfChanged()
        guard let revoked else { continue }
        logger.info(
          "allow-list reloaded",
          metadata: [
            "path": "\(store.path ?? "")", "clients": "\(store.current.clients.count)",
            "revoked": "\(revoked.sorted())",
            "trigger": "\(force ? "SIGHUP" : "file changed")"
          ])
      } catch {
        logger.error(
          "allow-list not reloaded; the list in force stays",
          metadata: ["path": "\(store.path ?? "")", "error": "\(error)"])
      }
    }
  }
}

/// A dispatch signal source that tasks may hold (the source itself is thread-safe but not marked `Sendable`).
final class SignalSource: @unchecked Sendable {
  private let source: any DispatchSourceSignal

  init(_ signal: Int32, handler: @escaping @Sendable () -> Void) {
    source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
  }

  func cancel() { source.cancel() }
}
