// The worker's side of the pool: connect to the gateway's work socket, say hello, send heartbeats, run the
// jobs it is given one at a time, and reconnect when the gateway goes silent.
import Foundation
import Logging
import Protos
import Synchronization

/// Runs one job: the assignment's payload in, the reply payload out. `progress` publishes through the gateway.
public typealias JobHandler =
  @Sendable (
    _ assignment: JobAssignment, _ progress: @escaping @Sendable (ProgressEvent) -> Void
  ) async throws -> [UInt8]

/// A worker's connection to the gateway. Run it with `run()`; it returns when cancelled or told to stop.
public final class WorkerConnection: Sendable {
  private let context: ZMQContext
  private let gateway: String
  private let hello: WorkerHello
  private let options: WorkOptions
  private let logger: Logger
  private let handler: JobHandler
  private let current = Mutex<SocketLoop?>(nil)
  private let busy = Mutex<String?>(nil)
  private let jobsDone = Atomic<Int>(0)
  private let security: ClientSecurity?
  private let maxJobBytes: Int64

  /// With `security`, the worker connects as a CURVE client (its key must be on the gateway's allow-list as `service`).
  /// A frame from the gateway larger than `maxJobBytes` is never read (libzmq drops the connection; the worker
  /// reconnects).
  public init(
    context: ZMQContext = .shared, gateway: String, hello: WorkerHello, options: WorkOptions = WorkOptions(),
    logger: Logger, security: ClientSecurity? = nil, maxJobBytes: Int64 = 256 << 20, handler: @escaping JobHandler
  ) {
    self.security = security
    self.maxJobBytes = maxJobBytes
    self.context = context
    self.gateway = gateway
    self.hello = hello
    self.options = options
    self.logger = logger
    self.handler = handler
  }

  /// The id of the job running now, if any.
  public var currentJob: String? { busy.withLock { $0 } }
  public var completedJobs: Int { jobsDone.load(ordering: .relaxed) }

  public func run() async {
    while !Task.isCancelled {
      let stop = await session()
      if stop { break }
      logger.warning(
        "gateway silent; reconnecting",
        metadata: [
          "gateway": "\(gateway)",
          "hint":
            "\(security == nil ? "is the gateway running?" : "is the gateway running, and is this worker's key on its allow-list with role service?")"
        ])
    }
    if let loop = current.withLock({ $0 }) {
      send(Self.message { $0.goodbye = true })
      try? await Task.sleep(for: .milliseconds(50))  // let the goodbye leave before the socket closes
      loop.stop()
    }
  }

  /// One connection: returns true when the worker should stop, false to reconnect.
  private func session() async -> Bool {
    var setup = SocketSetup(kind: .dealer, attach: .connect(gateway))
    setup.identity = Array(hello.workerID.utf8)
    setup.highWaterMark = 10_000
    setup.maxMessageBytes = maxJobBytes
    if let security { setup.security = security.socketSecurity }
    let loop: SocketLoop
    do {
      loop = try SocketLoop(context: context, setup: setup, name: "worker", logger: logger)
    } catch {
      logger.error(
        "cannot connect to the gateway's work socket", metadata: ["gateway": "\(gateway)", "error": "\(error)"])
      try? await Task.sleep(for: options.heartbeatTimeout)
      return Task.isCancelled
    }
    let old = current.withLock { slot in
      defer { slot = loop }; return slot
    }
    old?.stop()
    sendHello()
    let lastHeard = Locked(ContinuousClock.now)
    return await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        // Heartbeats out; give up on the connection when the gateway has been silent too long.
        while !Task.isCancelled {
          try? await Task.sleep(for: self.options.heartbeatInterval)
          if ContinuousClock.now - lastHeard.withLock({ $0 }) > self.options.heartbeatTimeout { return false }
          self.send(Self.message { $0.heartbeat = true })
        }
        return true
      }
      group.addTask {
        for await received in loop.incoming {
          let frames = received.frames
          lastHeard.withLock { $0 = .now }
          guard frames.count == 1, let message = try? WorkMessage(serializedBytes: frames[0]) else { continue }
          switch message.body {
          case .welcome(false): self.sendHello()
          case .assignment(let assignment): self.start(assignment)
          case .goodbye: return true
          default: break
          }
        }
        return true
      }
      let stop = await group.next()!
      group.cancelAll()
      if !stop { loop.stop() }
      return stop
    }
  }

  private func sendHello() {
    var hello = self.hello
    hello.pid = Int32(ProcessInfo.processInfo.processIdentifier)
    hello.busyJobID = currentJob ?? ""
    send(Self.message { $0.hello = hello })
  }

  private func start(_ assignment: JobAssignment) {
    enum Take { case start, alreadyRunning, busy }
    let take = busy.withLock { job -> Take in
      if job == assignment.jobID { return .alreadyRunning }
      guard job == nil else { return .busy }
      job = assignment.jobID
      return .start
    }
    if take == .alreadyRunning {
      // The broker dropped us (a late heartbeat) and requeued our own job to us after we said hello again: keep
      // running it; its result, matched by job id, completes it. Refusing would fail a job that is fine.
      logger.info("job re-sent while it runs here; carrying on", metadata: ["job": "\(assignment.jobID)"])
      return
    }
    guard take == .start else {
      // The broker only assigns to idle workers; refuse rather than queue, so it can requeue elsewhere.
      var result = JobResult()
      result.jobID = assignment.jobID
      result.status = ServiceError(.unavailable, "worker \(hello.workerID) is busy").status
      send(Self.message { $0.result = result })
      return
    }
    logger.info("job started", metadata: ["job": "\(assignment.jobID)", "kind": "\(assignment.jobKind)"])
    Task {
      var result = JobResult()
      result.jobID = assignment.jobID
      do {
        result.payload = Data(
          try await handler(assignment) { event in
            var event = event
            if event.jobID.isEmpty { event.jobID = assignment.jobID }
            self.send(Self.message { $0.progress = event })
          })
      } catch {
        result.status = ServiceError(wrapping: error).status
      }
      busy.withLock { $0 = nil }
      jobsDone.add(1, ordering: .relaxed)
      logger.info("job finished", metadata: ["job": "\(assignment.jobID)", "status": "\(result.status.code)"])
      send(Self.message { $0.result = result })
    }
  }

  private func send(_ message: WorkMessage) {
    guard let bytes = try? message.serializedBytes() as [UInt8] else { return }
    current.withLock { $0 }?.send([bytes])
  }

  private static func message(_ fill: (inout WorkMessage) -> Void) -> WorkMessage {
    var message = WorkMessage()
    fill(&message)
    return message
  }
}
