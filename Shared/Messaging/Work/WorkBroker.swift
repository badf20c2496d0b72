// The gateway's side of the worker pool: workers connect, announce themselves and send heartbeats;
// jobs go to idle workers of the right kind; a worker that goes silent has its job requeued to another.
import Foundation
import Logging
import Protos
import Synchronization

public typealias WorkMessage = Activeseg_V1_WorkMessage
public typealias WorkerHello = Activeseg_V1_WorkerHello
public typealias WorkerInfo = Activeseg_V1_WorkerInfo
public typealias JobAssignment = Activeseg_V1_JobAssignment
public typealias JobResult = Activeseg_V1_JobResult

/// Timing and retry rules shared by the broker and its workers.
public struct WorkOptions: Sendable {
  /// How often each side sends a heartbeat.
  public var heartbeatInterval: Duration = .milliseconds(500)
  /// A peer silent for this long is considered gone.
  public var heartbeatTimeout: Duration = .seconds(3)
  /// How many times a job is tried on different workers before it fails.
  public var maxAttempts = 3

  public init() {}
}

/// The load-balancing broker on the gateway's work socket (ROUTER). Run it with `run()`.
public final class WorkBroker: Sendable {
  public var endpoint: String { loop.endpoint }
  private let loop: SocketLoop
  private let state = Mutex(BrokerState())
  private let options: WorkOptions
  private let logger: Logger
  private let onProgress: @Sendable (ProgressEvent) -> Void

  /// Binds the work socket; with `security`, only allow-listed CURVE clients with the `service` role may join.
  public init(
    context: ZMQContext = .shared, bind endpoint: String, options: WorkOptions = WorkOptions(),
    logger: Logger, security: ServerSecurity? = nil, maxMessageBytes: Int64 = 256 << 20,
    onProgress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
  ) throws {
    var setup = SocketSetup(kind: .router, attach: .bind(endpoint))
    setup.routerHandover = true
    setup.highWaterMark = 10_000
    setup.maxMessageBytes = maxMessageBytes
    if var security {
      security.roles = [.service]
      setup.security = try security.socketSecurity(context: context, name: "work", logger: logger).0
    }
    loop = try SocketLoop(context: context, setup: setup, name: "work-broker", logger: logger)
    self.options = options
    self.logger = logger
    self.onProgress = onProgress
  }

  /// The connected workers, for Health and `activeseg status`.
  public func workers() -> [WorkerInfo] {
    let now = ContinuousClock.now
    return state.withLock { $0.workers.values.map { $0.info(now: now) } }.sorted { $0.workerID < $1.workerID }
  }

  /// Runs `kind` on some worker that accepts it and returns the reply payload. Waits for a worker when none
  /// is free; queued jobs go out oldest first, except that an `urgent` job (a short step that completes work
  /// already begun, such as embedding with an encoder just trained) waits ahead of every ordinary one.
  /// Throws the worker's error, or UNAVAILABLE after `maxAttempts` workers died running it.
  public func submit(kind: String, payload: [UInt8], urgent: Bool = false) async throws -> [UInt8] {
    let id = UUID().uuidString
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let actions = state.withLock { state -> BrokerActions in
          state.enqueue(
            PendingJob(id: id, kind: kind, payload: payload, attempt: 1, continuation: continuation, urgent: urgent))
          return state.dispatch()
        }
        perform(actions)
      }
    } onCancel: {
      let actions = state.withLock { $0.cancel(jobID: id) }
      perform(actions)
    }
  }

  /// Serves the work socket and sends heartbeats until cancelled or stopped.
  public func run() async {
    await withTaskCancellationHandler {
      await withDiscardingTaskGroup { group in
        group.addTask { await self.tick() }
        for await message in loop.incoming {
          handle(message.frames)
        }
        group.cancelAll()
      }
    } onCancel: {
      loop.stop()
    }
    let orphans = state.withLock { $0.failAll() }
    perform(orphans)
  }

  /// Stops the broker; waiting jobs fail with UNAVAILABLE.
  public func stop() { loop.stop() }

  // MARK: - Internals

  private func tick() async {
    while !Task.isCancelled {
      try? await Task.sleep(for: options.heartbeatInterval)
      let actions = state.withLock {
        $0.expire(now: .now, timeout: options.heartbeatTimeout, maxAttempts: options.maxAttempts)
      }
      for (identity, workerID) in actions.dropped {
        logger.warning("worker went silent; dropped it", metadata: ["worker": "\(workerID)"])
        _ = identity
      }
      perform(actions)
      var beat = WorkMessage()
      beat.heartbeat = true
      let bytes: [UInt8] = (try? beat.serializedBytes()) ?? []
      for identity in state.withLock({ Array($0.workers.keys) }) { loop.send([identity, bytes]) }
    }
  }

  private func handle(_ frames: Frames) {
    guard frames.count == 2, !frames[0].isEmpty else {
      logger.info("dropped a work frame that is not [identity, WorkMessage]", metadata: ["frames": "\(frames.count)"])
      return
    }
    let identity = frames[0]
    guard let message = try? WorkMessage(serializedBytes: frames[1]) else {
      logger.info("dropped an unreadable WorkMessage")
      return
    }
    let now = ContinuousClock.now
    var actions = BrokerActions()
    switch message.body {
    case .hello(let hello):
      logger.info(
        "worker joined", metadata: ["worker": "\(hello.workerID)", "kind": "\(hello.kind)", "host": "\(hello.host)"])
      actions = state.withLock { $0.join(identity: identity, hello: hello, now: now, maxAttempts: options.maxAttempts) }
    case .heartbeat, .progress:
      let known = state.withLock { $0.touch(identity, now: now) }
      if !known { actions.send.append((identity, Self.welcome(false))) }
      if case .progress(let event) = message.body { onProgress(event) }
    case .result(let result):
      actions = state.withLock { $0.finish(identity: identity, result: result, now: now) }
    case .goodbye:
      logger.info("worker left", metadata: ["identity": "\(String(decoding: identity, as: UTF8.self))"])
      actions = state.withLock { $0.leave(identity, maxAttempts: options.maxAttempts) }
    case .assignment, .welcome, .none:
      logger.info("dropped a WorkMessage a worker should not send")
    }
    perform(actions)
  }

  static func welcome(_ accepted: Bool) -> [UInt8] {
    var message = WorkMessage()
    message.welcome = accepted
    return (try? message.serializedBytes()) ?? []
  }

  private func perform(_ actions: BrokerActions) {
    for entry in actions.requeued {
      logger.warning("requeued job \(entry.job) (\(entry.kind)) of worker \(entry.worker), attempt \(entry.attempt)")
    }
    for (identity, bytes) in actions.send { loop.send([identity, bytes]) }
    for (continuation, outcome) in actions.resume { continuation.resume(with: outcome) }
  }
}
