// The annotators' desk: each round that waits for people registers its picks here; annotators lease
// the next unlabeled picks (a lease expires, so an abandoned slice goes to someone else) and submit
// masks; the round resumes when every pick has a stored annotation.
import Foundation
import Messaging

actor AnnotationDesk {
  /// One round's picks waiting for people.
  private struct Batch {
    let experiment: Int64
    let slices: [Int64]
    var done: Set<Int64>
    var waiter: CheckedContinuation<Void, Never>?
    var remaining: Int { slices.count - done.count }
  }

  private struct Lease {
    let annotator: String
    let expires: Date
  }

  let leaseDuration: TimeInterval
  private var batches: [String: Batch] = [:]
  private var leases: [Int64: Lease] = [:]

  init(leaseDuration: TimeInterval) {
    self.leaseDuration = leaseDuration
  }

  /// Waits until every slice in `slices` is annotated; `alreadyDone` are those stored before (a resumed round).
  func collect(experiment: Int64, key: String, slices: [Int64], alreadyDone: Set<Int64>) async {
    let batch = Batch(experiment: experiment, slices: slices, done: alreadyDone.intersection(slices), waiter: nil)
    guard batch.remaining > 0 else { return }
    await withCheckedContinuation { continuation in
      var waiting = batch
      waiting.waiter = continuation
      batches[key] = waiting
    }
  }

  /// Leases up to `count` picks of `experiment` that nobody holds (or whose lease ran out), oldest batch first;
  /// slices already leased to `annotator` come back first, with a renewed lease.
  func next(experiment: Int64, annotator: String, count: Int, now: Date = Date()) -> [(slice: Int64, expires: Date)] {
    var picked: [(slice: Int64, expires: Date)] = []
    let expires = now.addingTimeInterval(leaseDuration)
    let open = batches.sorted { $0.key < $1.key }.filter { $0.value.experiment == experiment }
    let pending = open.flatMap { batch in batch.value.slices.filter { !batch.value.done.contains($0) } }
    let mine = pending.filter { leases[$0]?.annotator == annotator && leases[$0]!.expires > now }
    let free = pending.filter { leases[$0] == nil || leases[$0]!.expires <= now }
    for slice in (mine + free).prefix(max(0, count)) {
      leases[slice] = Lease(annotator: annotator, expires: expires)
      picked.append((slice, expires))
    }
    return picked
  }

  /// Throws unless `slice` is a pending pick of `experiment` that `annotator` may submit (no live lease of someone else).
  func checkSubmission(experiment: Int64, slice: Int64, annotator: String, now: Date = Date()) throws {
    guard batches.values.contains(where: { $0.experiment == experiment && $0.slices.contains(slice) && !$0.done.contains(slice) }) else {
      throw ServiceError(.failedPrecondition, "slice \(slice) is not waiting for an annotation in experiment \(experiment); ask for work with annotate next")
    }
    if let lease = leases[slice], lease.annotator != annotator, lease.expires > now {
      throw ServiceError(.failedPrecondition, "slice \(slice) is leased to '\(lease.annotator)' until \(lease.expires); take another with annotate next")
    }
  }

  /// Records a stored annotation of `slice`; resumes its round when it was the last. Returns the picks still open
  /// in the slice's batch.
  @discardableResult
  func submitted(experiment: Int64, slice: Int64) -> Int {
    leases[slice] = nil
    var remaining = 0
    for (key, var batch) in batches where batch.experiment == experiment && batch.slices.contains(slice) {
      batch.done.insert(slice)
      remaining = batch.remaining
      if remaining == 0 {
        batches[key] = nil
        batch.waiter?.resume()
      } else {
        batches[key] = batch
      }
    }
    return remaining
  }

  /// Picks still waiting in `experiment`.
  func pending(experiment: Int64) -> Int {
    batches.values.filter { $0.experiment == experiment }.reduce(0) { $0 + $1.remaining }
  }
}
