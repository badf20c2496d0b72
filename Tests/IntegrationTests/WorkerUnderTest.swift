// One worker process (trainer or embedder) connected to a broker the test runs itself, playing the gateway:
// the test submits jobs and sees the worker's progress events.
import Foundation
import Launcher
import Messaging
import TestSupport

final class WorkerUnderTest: @unchecked Sendable {
  let broker: WorkBroker
  let process: ServiceProcess
  private let brokerTask: Task<Void, Never>
  private let received = EventLog()

  /// Starts a broker and `activeseg-<kind>` connected to it and to `storage`; waits until the worker joined.
  init(kind: String, storage: StorageUnderTest) async throws {
    var options = WorkOptions()
    options.heartbeatInterval = .milliseconds(200)
    options.heartbeatTimeout = .seconds(5)
    let received = self.received
    broker = try WorkBroker(bind: "tcp://127.0.0.1:*", options: options, logger: logger) { event in
      received.append(event)
    }
    let broker = self.broker
    brokerTask = Task { await broker.run() }
    process = try ServiceProcess.start(
      name: kind, executable: "activeseg-\(kind)",
      arguments: [
        "--gateway", broker.endpoint, "--storage", storage.process.endpoints["rpc"]!, "--id", "\(kind)-1",
        "--exit-on-stdin-eof"
      ],
      logPath: storage.directory.file("\(kind).log"), detach: false)
    _ = await eventually { broker.workers().first?.kind == kind }
  }

  /// The progress events the worker has sent so far.
  var events: [ProgressEvent] { received.all }

  func stop() {
    ServiceProcess.stop(pid: process.pid)
    broker.stop()
    brokerTask.cancel()
  }
}

/// Progress events collected from the broker's callback.
final class EventLog: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [ProgressEvent] = []
  func append(_ event: ProgressEvent) { lock.withLock { events.append(event) } }
  var all: [ProgressEvent] { lock.withLock { events } }
}
