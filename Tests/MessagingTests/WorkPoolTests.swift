// The gateway's worker pool over real sockets: dispatch by kind, load spreading, errors, progress,
// requeueing the job of a worker that goes silent, and workers rejoining a restarted gateway.
import Foundation
import Messaging
import Protos
import Synchronization
import Testing
import TestSupport

func fastOptions() -> WorkOptions {
  var options = WorkOptions()
  options.heartbeatInterval = .milliseconds(100)
  options.heartbeatTimeout = .milliseconds(1500)
  return options
}

func hello(_ id: String, kind: String = "trainer", jobs: [String]) -> WorkerHello {
  var hello = WorkerHello()
  hello.workerID = id
  hello.kind = kind
  hello.jobKinds = jobs
  return hello
}

/// Starts a worker that answers with its own id after `delay`.
func startWorker(
  _ id: String, at endpoint: String, jobs: [String] = ["Echo"], delay: Duration = .zero,
  handler: JobHandler? = nil
) -> Task<Void, Never> {
  let connection = WorkerConnection(
    gateway: endpoint, hello: hello(id, jobs: jobs), options: fastOptions(), logger: logger,
    handler: handler ?? { _, _ in
      try await Task.sleep(for: delay)
      return Array(id.utf8)
    })
  return Task { await connection.run() }
}

func startBroker(
  at endpoint: String = "tcp://127.0.0.1:*",
  onProgress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
) async throws -> (WorkBroker, Task<Void, Never>) {
  // libzmq releases a closed listener asynchronously: a restarted broker may need a moment to rebind.
  var attempt = 0
  while true {
    do {
      let broker = try WorkBroker(bind: endpoint, options: fastOptions(), logger: logger, onProgress: onProgress)
      return (broker, Task { await broker.run() })
    } catch let error as ZMQError where attempt < 40 && "\(error)".contains("Address already in use") {
      attempt += 1
      try await Task.sleep(for: .milliseconds(50))
    }
  }
}

@Suite struct WorkPoolTests {
  @Test func jobsGoToAWorkerOfTheirKind() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    let trainer = startWorker("t1", at: broker.endpoint, jobs: ["Train"])
    let embedder = startWorker("e1", at: broker.endpoint, jobs: ["Embed"])
    defer { trainer.cancel(); embedder.cancel() }
    let embedResult = try await broker.submit(kind: "Embed", payload: [])
    let trainResult = try await broker.submit(kind: "Train", payload: [])
    #expect(String(decoding: embedResult, as: UTF8.self) == "e1")
    #expect(String(decoding: trainResult, as: UTF8.self) == "t1")
    #expect(broker.workers().map(\.workerID) == ["e1", "t1"])
  }

  @Test func jobsSpreadOverIdleWorkers() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    let workers = ["a", "b"].map { startWorker($0, at: broker.endpoint, delay: .milliseconds(300)) }
    defer { workers.forEach { $0.cancel() } }
    #expect(await eventually { broker.workers().count == 2 })
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<4 {
        group.addTask { String(decoding: try await broker.submit(kind: "Echo", payload: []), as: UTF8.self) }
      }
      return try await group.reduce(into: [String]()) { $0.append($1) }
    }
    #expect(results.filter { $0 == "a" }.count == 2)
    #expect(results.filter { $0 == "b" }.count == 2)
    #expect(broker.workers().allSatisfy { $0.jobsDone == 2 })
  }

  @Test func anUrgentJobWaitsAheadOfOrdinaryOnes() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    let order = Mutex<[String]>([])
    let released = Mutex(false)
    let queued = Mutex(0)
    let worker = startWorker(
      "w", at: broker.endpoint,
      handler: { assignment, _ in
        let name = String(decoding: assignment.payload, as: UTF8.self)
        order.withLock { $0.append(name) }
        // "busy" holds the one worker until every other job is queued, however slow the machine.
        while name == "busy" && !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        return []
      })
    defer { worker.cancel() }
    #expect(await eventually { broker.workers().count == 1 })
    try await withThrowingTaskGroup(of: Void.self) { group in
      // submit enqueues before it first suspends, so counting just before it marks the job queued.
      let submit: @Sendable (String, Bool) async throws -> Void = { name, urgent in
        queued.withLock { $0 += 1 }
        _ = try await broker.submit(kind: "Echo", payload: Array(name.utf8), urgent: urgent)
      }
      // "busy" occupies the worker; then two ordinary jobs queue, then an urgent one, which goes first.
      group.addTask { _ = try await broker.submit(kind: "Echo", payload: Array("busy".utf8)) }
      #expect(await eventually { order.withLock { $0 == ["busy"] } })
      group.addTask { try await submit("first", false) }
      group.addTask { try await submit("second", false) }
      #expect(await eventually { queued.withLock { $0 } == 2 })
      try await Task.sleep(for: .milliseconds(50))
      group.addTask { try await submit("urgent", true) }
      #expect(await eventually { queued.withLock { $0 } == 3 })
      try await Task.sleep(for: .milliseconds(50))
      released.withLock { $0 = true }
      try await group.waitForAll()
    }
    let ran = order.withLock { $0 }
    #expect(ran.count == 4 && ran[1] == "urgent" && Set(ran[2...]) == ["first", "second"], "\(ran)")
  }

  @Test func workerErrorsReachTheCaller() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    let worker = startWorker("w", at: broker.endpoint) { _, _ in
      throw ServiceError(.invalidArgument, "preset 'huge' is unknown; use paper, cpu or smoke")
    }
    defer { worker.cancel() }
    await #expect(throws: ServiceError(.invalidArgument, "preset 'huge' is unknown; use paper, cpu or smoke")) {
      try await broker.submit(kind: "Echo", payload: [])
    }
  }

  @Test func progressFromWorkersIsForwarded() async throws {
    let seen = Mutex<[Int64]>([])
    let (broker, task) = try await startBroker { event in seen.withLock { $0.append(event.iteration) } }
    defer { broker.stop(); task.cancel() }
    let worker = startWorker("w", at: broker.endpoint) { _, progress in
      for iteration in 1...3 {
        var event = ProgressEvent()
        event.iteration = Int64(iteration)
        progress(event)
      }
      try await Task.sleep(for: .milliseconds(50))
      return []
    }
    defer { worker.cancel() }
    _ = try await broker.submit(kind: "Echo", payload: [])
    #expect(await eventually { seen.withLock { $0 } == [1, 2, 3] })
  }

  @Test func aSilentWorkersJobIsRequeuedToAnother() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    // A raw worker that takes the job and then dies without a word.
    let doomed = try SocketLoop(
      context: .shared,
      setup: {
        var setup = SocketSetup(kind: .dealer, attach: .connect(broker.endpoint))
        setup.identity = Array("doomed".utf8)
        return setup
      }(), name: "doomed", logger: logger)
    var message = WorkMessage()
    message.hello = hello("doomed", jobs: ["Echo"])
    doomed.send([try message.serializedBytes()])
    #expect(await eventually { broker.workers().map(\.workerID) == ["doomed"] })
    let job = Task { try await broker.submit(kind: "Echo", payload: Array("x".utf8)) }
    #expect(await eventually { broker.workers().first?.currentJobID.isEmpty == false })
    let survivor = startWorker("survivor", at: broker.endpoint)
    defer { survivor.cancel() }
    doomed.stop()
    let result = try await job.value
    #expect(String(decoding: result, as: UTF8.self) == "survivor")
    #expect(broker.workers().map(\.workerID) == ["survivor"])
  }

  @Test func workersRejoinARestartedGateway() async throws {
    let port = Int.random(in: 24001...29000)  // below the kernel's ephemeral range
    let endpoint = "tcp://127.0.0.1:\(port)"
    var (broker, task) = try await startBroker(at: endpoint)
    let worker = startWorker("w", at: endpoint)
    defer { worker.cancel() }
    #expect(await eventually { broker.workers().count == 1 })
    broker.stop()
    task.cancel()
    (broker, task) = try await startBroker(at: endpoint)
    defer { broker.stop(); task.cancel() }
    #expect(await eventually { broker.workers().map(\.workerID) == ["w"] })
    #expect(String(decoding: try await broker.submit(kind: "Echo", payload: []), as: UTF8.self) == "w")
  }

  @Test func aWorkerStillBusyWhenTheGatewayRestartsGetsNoJobUntilItIsDone() async throws {
    let port = Int.random(in: 24001...29000)
    let endpoint = "tcp://127.0.0.1:\(port)"
    var (broker, task) = try await startBroker(at: endpoint)
    let worker = startWorker("slow", at: endpoint, delay: .milliseconds(1500))
    defer { worker.cancel() }
    #expect(await eventually { broker.workers().count == 1 })
    let first = broker
    let lost = Task { try? await first.submit(kind: "Echo", payload: []) }
    #expect(await eventually { broker.workers().first?.currentJobID.isEmpty == false })
    broker.stop()
    task.cancel()
    _ = await lost.value
    (broker, task) = try await startBroker(at: endpoint)
    defer { broker.stop(); task.cancel() }
    #expect(await eventually { broker.workers().first?.currentJobID.isEmpty == false }, "it rejoins as busy")
    // The new gateway's job waits for the old one to finish instead of being refused as "busy".
    #expect(String(decoding: try await broker.submit(kind: "Echo", payload: []), as: UTF8.self) == "slow")
  }

  @Test func aWorkerThatLeavesCleanlyIsRemovedAtOnce() async throws {
    let (broker, task) = try await startBroker()
    defer { broker.stop(); task.cancel() }
    let worker = startWorker("w", at: broker.endpoint)
    #expect(await eventually { broker.workers().count == 1 })
    worker.cancel()
    await worker.value
    #expect(
      await eventually(timeout: .milliseconds(1200)) { broker.workers().isEmpty },
      "goodbye removes it before the heartbeat timeout")
  }
}
