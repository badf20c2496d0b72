// The broker's bookkeeping, as plain state transitions that return what to send and whom to wake.
// Kept free of sockets so every transition runs under one lock and is easy to test.
import Foundation

typealias JobContinuation = CheckedContinuation<[UInt8], any Error>

struct PendingJob {
  var id: String
  var kind: String
  var payload: [UInt8]
  var attempt: Int
  var continuation: JobContinuation
  /// Urgent jobs wait ahead of every ordinary one (in arrival order among themselves).
  var urgent = false
}

struct WorkerRecord {
  var identity: [UInt8]
  var hello: WorkerHello
  var lastSeen: ContinuousClock.Instant
  var idleSince: ContinuousClock.Instant
  var currentJob: String?
  var jobsDone: UInt64 = 0

  func info(now: ContinuousClock.Instant) -> WorkerInfo {
    var info = WorkerInfo()
    info.workerID = hello.workerID
    info.kind = hello.kind
    info.host = hello.host
    info.pid = hello.pid
    info.controlEndpoint = hello.controlEndpoint
    let silent = now - lastSeen
    info.secondsSinceHeartbeat = Double(silent.components.seconds) + Double(silent.components.attoseconds) * 1e-18
    info.currentJobID = currentJob ?? ""
    info.jobsDone = jobsDone
    return info
  }
}

/// What a transition asks the broker to do once the lock is released.
struct BrokerActions {
  var send: [([UInt8], [UInt8])] = []
  var resume: [(JobContinuation, Result<[UInt8], any Error>)] = []
  var dropped: [([UInt8], String)] = []
  /// Jobs put back at the head of the queue because their worker left or went silent.
  var requeued: [(job: String, kind: String, worker: String, attempt: Int)] = []

  mutating func merge(_ other: BrokerActions) {
    send += other.send
    resume += other.resume
    dropped += other.dropped
    requeued += other.requeued
  }
}

struct BrokerState {
  var workers: [[UInt8]: WorkerRecord] = [:]
  var queue: [PendingJob] = []

  /// Queues `job`: behind the other urgent jobs when it is urgent, else at the end.
  mutating func enqueue(_ job: PendingJob) {
    if job.urgent, let firstOrdinary = queue.firstIndex(where: { !$0.urgent }) {
      queue.insert(job, at: firstOrdinary)
    } else {
      queue.append(job)
    }
  }
  var running: [String: (job: PendingJob, worker: [UInt8])] = [:]

  /// A worker said hello (first time, or again after a reconnect or a restart). A worker still running a
  /// job (`busy_job_id`, e.g. one a previous gateway gave it) gets no new job until it reports that one.
  mutating func join(identity: [UInt8], hello: WorkerHello, now: ContinuousClock.Instant, maxAttempts: Int)
    -> BrokerActions
  {
    var actions = BrokerActions()
    let busy = hello.busyJobID.isEmpty ? nil : hello.busyJobID
    if let current = workers[identity]?.currentJob, current != busy {
      // It restarted: whatever it was running is lost.
      actions.merge(leave(identity, maxAttempts: maxAttempts))
    }
    var record = workers[identity] ?? WorkerRecord(identity: identity, hello: hello, lastSeen: now, idleSince: now)
    record.hello = hello
    record.lastSeen = now
    record.currentJob = busy
    workers[identity] = record
    actions.send.append((identity, WorkBroker.welcome(true)))
    actions.merge(dispatch())
    return actions
  }

  /// Returns whether the worker is known.
  mutating func touch(_ identity: [UInt8], now: ContinuousClock.Instant) -> Bool {
    guard workers[identity] != nil else { return false }
    workers[identity]!.lastSeen = now
    return true
  }

  mutating func finish(identity: [UInt8], result: JobResult, now: ContinuousClock.Instant) -> BrokerActions {
    var actions = BrokerActions()
    if var worker = workers[identity] {
      worker.lastSeen = now
      if worker.currentJob == result.jobID {
        worker.currentJob = nil
        worker.idleSince = now
        worker.jobsDone += 1
      }
      workers[identity] = worker
    } else {
      actions.send.append((identity, WorkBroker.welcome(false)))
    }
    // Accept the result even from a worker we had given up on, if nobody else finished the job first.
    let job: PendingJob?
    if let entry = running.removeValue(forKey: result.jobID) {
      job = entry.job
      if entry.worker != identity, workers[entry.worker]?.currentJob == result.jobID {
        workers[entry.worker]!.currentJob = nil
      }
    } else if let index = queue.firstIndex(where: { $0.id == result.jobID }) {
      job = queue.remove(at: index)
    } else {
      job = nil
    }
    if let job {
      if let error = ServiceError(status: result.status) {
        actions.resume.append((job.continuation, .failure(error)))
      } else {
        actions.resume.append((job.continuation, .success([UInt8](result.payload))))
      }
    }
    actions.merge(dispatch())
    return actions
  }

  /// Removes a worker and puts its job back in the queue (or fails it after too many attempts).
  mutating func leave(_ identity: [UInt8], maxAttempts: Int) -> BrokerActions {
    var actions = BrokerActions()
    guard let worker = workers.removeValue(forKey: identity) else { return actions }
    if let jobID = worker.currentJob, var job = running.removeValue(forKey: jobID)?.job {
      if job.attempt >= maxAttempts {
        let error = ServiceError(
          .unavailable,
          "job \(job.kind) \(job.id) failed: \(job.attempt) workers died running it; check the worker logs")
        actions.resume.append((job.continuation, .failure(error)))
      } else {
        job.attempt += 1
        queue.insert(job, at: 0)
        actions.requeued.append((job.id, job.kind, worker.hello.workerID, job.attempt))
      }
    }
    actions.merge(dispatch())
    return actions
  }

  mutating func expire(now: ContinuousClock.Instant, timeout: Duration, maxAttempts: Int) -> BrokerActions {
    var actions = BrokerActions()
    for (identity, worker) in workers where now - worker.lastSeen > timeout {
      actions.dropped.append((identity, worker.hello.workerID))
      actions.merge(leave(identity, maxAttempts: maxAttempts))
    }
    return actions
  }

  mutating func cancel(jobID: String) -> BrokerActions {
    var actions = BrokerActions()
    let cancelled = ServiceError(.cancelled, "job \(jobID) was cancelled by its caller")
    if let index = queue.firstIndex(where: { $0.id == jobID }) {
      actions.resume.append((queue.remove(at: index).continuation, .failure(cancelled)))
    } else if let entry = running.removeValue(forKey: jobID) {
      actions.resume.append((entry.job.continuation, .failure(cancelled)))
    }
    return actions
  }

  /// Fails every job still waiting or running: the broker is shutting down.
  mutating func failAll() -> BrokerActions {
    var actions = BrokerActions()
    let error = ServiceError(.unavailable, "the gateway's work broker stopped")
    for job in queue { actions.resume.append((job.continuation, .failure(error))) }
    for entry in running.values { actions.resume.append((entry.job.continuation, .failure(error))) }
    queue = []
    running = [:]
    return actions
  }

  /// Hands queued jobs, oldest first, to the idle workers that accept them, longest idle first.
  mutating func dispatch() -> BrokerActions {
    var actions = BrokerActions()
    var remaining: [PendingJob] = []
    for job in queue {
      let idle = workers.values
        .filter { $0.currentJob == nil && $0.hello.jobKinds.contains(job.kind) }
        .min { $0.idleSince < $1.idleSince }
      guard let worker = idle else {
        remaining.append(job)
        continue
      }
      workers[worker.identity]!.currentJob = job.id
      running[job.id] = (job, worker.identity)
      var message = WorkMessage()
      var assignment = JobAssignment()
      assignment.jobID = job.id
      assignment.jobKind = job.kind
      assignment.payload = Data(job.payload)
      assignment.attempt = Int32(job.attempt)
      message.assignment = assignment
      actions.send.append((worker.identity, (try? message.serializedBytes()) ?? []))
    }
    queue = remaining
    return actions
  }
}
