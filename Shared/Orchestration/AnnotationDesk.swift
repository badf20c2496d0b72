// The annotators' desk: each round that waits for people registers its picks here; annotators lease
// the next unlabeled picks (a lease expires, so an abandoned slice goes to someone else) and submit
// masks; the round resumes when every pick has a stored annotation. Every call costs O(slices handed
// out), not O(picks waiting): 50 annotators on a pool of 30,000 picks must not rescan it per request.
// With a journal, leases outlive the gateway: they are saved before an annotator hears of them and come back
// when a resumed round registers its picks (AnnotationDesk+Journal.swift).
import Foundation
import Messaging

public actor AnnotationDesk {
  /// One round's picks waiting for people.
  private struct Batch {
    let experiment: Int64
    let total: Int
    var remaining: Int
    var waiter: CheckedContinuation<Void, any Error>?
  }

  private struct Lease {
    let annotator: String
    let expires: Date
  }

  /// Per experiment: picks nobody holds (FIFO, oldest batch first) and leases in the order they expire.
  private struct Queue {
    var free: [Int64] = []
    var freeHead = 0
    var expiries: [(slice: Int64, expires: Date)] = []
    var expiriesHead = 0
    var held: [String: Set<Int64>] = [:]
  }

  public let leaseDuration: TimeInterval
  /// The time leases are measured against: the wall clock, or a test's manual clock.
  private let clock: @Sendable () -> Date
  private var batches: [String: Batch] = [:]
  /// Each pending slice's batch key.
  private var batchOf: [Int64: String] = [:]
  private var leases: [Int64: Lease] = [:]
  private var queues: [Int64: Queue] = [:]
  let journal: (any LeaseJournal)?
  /// Per experiment: the version of its leases (one more on every grant) and the newest version saved.
  var versions: [Int64: (current: Int, saved: Int)] = [:]
  /// Experiments whose leases are being written, and the callers waiting for a version to be saved.
  var saving: Set<Int64> = []
  var saveWaiters: [Int64: [(version: Int, continuation: CheckedContinuation<Void, any Error>)]] = [:]

  public init(
    leaseDuration: TimeInterval, clock: @escaping @Sendable () -> Date = { Date() }, journal: (any LeaseJournal)? = nil
  ) {
    self.leaseDuration = leaseDuration
    self.clock = clock
    self.journal = journal
  }

  /// Waits until every slice in `slices` is annotated; `alreadyDone` are those stored before (a resumed round).
  /// Throws CancellationError when the waiting task is cancelled (the gateway shuts down); the picks stay
  /// registered, and a resumed round registers them again.
  public func collect(experiment: Int64, key: String, slices: [Int64], alreadyDone: Set<Int64>) async throws {
    let stored = try await journal?.leases(experiment: experiment) ?? []
    let open = slices.filter { !alreadyDone.contains($0) && batchOf[$0] == nil }
    guard !open.isEmpty else { return }
    for slice in open { batchOf[slice] = key }
    let restored = restore(stored, among: open, experiment: experiment)
    queues[experiment, default: Queue()].free += open.filter { !restored.contains($0) }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        batches[key] = Batch(experiment: experiment, total: open.count, remaining: open.count, waiter: continuation)
      }
    } onCancel: {
      Task { await self.release(key) }
    }
  }

  /// Resumes the wait of batch `key` with CancellationError (its task was cancelled).
  private func release(_ key: String) {
    guard let waiter = batches[key]?.waiter else { return }
    batches[key]?.waiter = nil
    waiter.resume(throwing: CancellationError())
  }

  /// Rounds still waiting for people, for the shutdown log.
  public var waiting: Int { batches.values.filter { $0.waiter != nil }.count }

  /// Leases up to `count` picks of `experiment`: first those `annotator` already holds (renewed), then free
  /// ones, oldest batch first; leases that ran out are free again. With a journal, returns once the leases are saved.
  public func next(experiment: Int64, annotator: String, count: Int) async throws -> [(slice: Int64, expires: Date)] {
    let now = clock()
    guard count > 0, var queue = queues[experiment] else { return [] }
    // Leases that expired go back to the free list (stale queue entries, renewed or submitted, are skipped).
    while queue.expiriesHead < queue.expiries.count, queue.expiries[queue.expiriesHead].expires <= now {
      let (slice, expires) = queue.expiries[queue.expiriesHead]
      queue.expiriesHead += 1
      guard let lease = leases[slice], lease.expires == expires, batchOf[slice] != nil else { continue }
      leases[slice] = nil
      queue.held[lease.annotator]?.remove(slice)
      queue.free.append(slice)
    }
    let expires = now.addingTimeInterval(leaseDuration)
    var picked = Array((queue.held[annotator] ?? []).sorted().prefix(count))
    while picked.count < count && queue.freeHead < queue.free.count {
      let slice = queue.free[queue.freeHead]
      queue.freeHead += 1
      if batchOf[slice] != nil && leases[slice] == nil { picked.append(slice) }
    }
    for slice in picked {
      leases[slice] = Lease(annotator: annotator, expires: expires)
      queue.held[annotator, default: []].insert(slice)
      queue.expiries.append((slice, expires))
    }
    Self.compact(&queue)
    queues[experiment] = queue
    if !picked.isEmpty { try await save(experiment) }
    return picked.map { ($0, expires) }
  }

  /// Throws unless `slice` is a pending pick of `experiment` that `annotator` may submit (no live lease of someone else).
  public func checkSubmission(experiment: Int64, slice: Int64, annotator: String) throws {
    let now = clock()
    guard let key = batchOf[slice], batches[key]?.experiment == experiment else {
      throw ServiceError(
        .failedPrecondition,
        "slice \(slice) is not waiting for an annotation in experiment \(experiment); ask for work with annotate next")
    }
    if let lease = leases[slice], lease.annotator != annotator, lease.expires > now {
      throw ServiceError(
        .failedPrecondition,
        "slice \(slice) is leased to '\(lease.annotator)' until \(lease.expires); take another with annotate next")
    }
  }

  /// Records a stored annotation of `slice`; resumes its round when it was the last. Returns the picks still open
  /// in the slice's batch.
  @discardableResult
  public func submitted(experiment: Int64, slice: Int64) -> Int {
    if let lease = leases.removeValue(forKey: slice) { queues[experiment]?.held[lease.annotator]?.remove(slice) }
    guard let key = batchOf.removeValue(forKey: slice), var batch = batches[key] else { return 0 }
    batch.remaining -= 1
    if batch.remaining == 0 {
      batches[key] = nil
      batch.waiter?.resume()
    } else {
      batches[key] = batch
    }
    return batch.remaining
  }

  /// Where `experiment`'s annotation stands: picks still waiting, how many of them nobody holds, the size of
  /// its open batches, and each annotator's live leases with their latest expiry. O(picks held), not O(waiting).
  public func progress(experiment: Int64) -> (
    waiting: Int, unleased: Int, total: Int,
    annotators: [(name: String, leased: Int, expires: Date)]
  ) {
    let now = clock()
    let open = batches.values.filter { $0.experiment == experiment }
    let waiting = open.reduce(0) { $0 + $1.remaining }
    var annotators: [(name: String, leased: Int, expires: Date)] = []
    for (name, slices) in queues[experiment]?.held ?? [:] {
      let live = slices.compactMap { leases[$0] }.filter { $0.annotator == name && $0.expires > now }
      guard let latest = live.map(\.expires).max() else { continue }
      annotators.append((name, live.count, latest))
    }
    annotators.sort { $0.name < $1.name }
    let leased = annotators.reduce(0) { $0 + $1.leased }
    return (waiting, max(0, waiting - leased), open.reduce(0) { $0 + $1.total }, annotators)
  }

  /// Puts back in force the leases of a previous gateway on `open` picks of `experiment` that have not run out
  /// (and that this desk has not leased since); returns their slices, which are then not free.
  private func restore(_ stored: [StoredLease], among open: [Int64], experiment: Int64) -> Set<Int64> {
    let now = clock()
    let open = Set(open)
    let live = stored.filter { open.contains($0.slice) && $0.expires > now && leases[$0.slice] == nil }
    guard !live.isEmpty else { return [] }
    var queue = queues[experiment, default: Queue()]
    for lease in live {
      leases[lease.slice] = Lease(annotator: lease.annotator, expires: lease.expires)
      queue.held[lease.annotator, default: []].insert(lease.slice)
    }
    // The expiry queue stays in expiry order: the restored leases may run out before ones granted since.
    queue.expiries = (queue.expiries[queue.expiriesHead...] + live.map { ($0.slice, $0.expires) })
      .sorted { $0.expires < $1.expires }
    queue.expiriesHead = 0
    queues[experiment] = queue
    return Set(live.map(\.slice))
  }

  /// `experiment`'s leases that have not run out, as the journal keeps them.
  func liveLeases(_ experiment: Int64) -> [StoredLease] {
    let now = clock()
    return (queues[experiment]?.held ?? [:]).flatMap { name, slices in
      slices.compactMap { slice in
        leases[slice].flatMap {
          $0.annotator == name && $0.expires > now
            ? StoredLease(slice: slice, annotator: name, expires: $0.expires) : nil
        }
      }
    }.sorted { $0.slice < $1.slice }
  }

  /// Drops the consumed heads of the queues once they dominate, so memory stays proportional to what waits.
  private static func compact(_ queue: inout Queue) {
    if queue.freeHead > 1024 && queue.freeHead * 2 > queue.free.count {
      queue.free.removeFirst(queue.freeHead)
      queue.freeHead = 0
    }
    if queue.expiriesHead > 1024 && queue.expiriesHead * 2 > queue.expiries.count {
      queue.expiries.removeFirst(queue.expiriesHead)
      queue.expiriesHead = 0
    }
  }
}
