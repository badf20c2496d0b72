// The annotators' desk on a manual clock: leases expire to the next annotator, a late submission of an expired
// lease is refused naming the holder, renewal keeps a slice, and a round's wait ends on its last submission or on
// cancellation. With a journal, a new desk (a restarted gateway) keeps the leases the old one granted, and
// concurrent grants are saved in order, the newest last.
import Foundation
import Orchestration
import Synchronization
import Testing

/// A clock that moves only when the test says so.
final class ManualClock: Sendable {
  private let time = Mutex(Date(timeIntervalSince1970: 1_000_000))
  var now: Date { time.withLock { $0 } }
  func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }
}

@Suite struct AnnotationDeskTests {
  let clock = ManualClock()
  let desk: AnnotationDesk

  init() {
    let clock = clock
    desk = AnnotationDesk(leaseDuration: 60, clock: { clock.now })
  }

  /// Registers `slices` as round `key` of experiment 1 and returns the task waiting for them, once registered.
  func waitFor(_ slices: [Int64], key: String = "r0") async throws -> Task<Void, any Error> {
    let desk = desk
    let before = await desk.waiting
    let task = Task { try await desk.collect(experiment: 1, key: key, slices: slices, alreadyDone: []) }
    for _ in 0..<10_000 where await desk.waiting == before { await Task.yield() }
    #expect(await desk.waiting == before + 1)
    return task
  }

  @Test func anExpiredLeaseGoesToTheNextAnnotatorAndTheFirstOnesSubmissionIsRefused() async throws {
    let round = try await waitFor([11])
    #expect(try await desk.next(experiment: 1, annotator: "alice", count: 5).map(\.slice) == [11])
    #expect(try await desk.next(experiment: 1, annotator: "bob", count: 5).isEmpty)
    await #expect(throws: (any Error).self) {
      try await desk.checkSubmission(experiment: 1, slice: 11, annotator: "bob")
    }

    clock.advance(by: 59)
    #expect(try await desk.next(experiment: 1, annotator: "bob", count: 5).isEmpty, "the lease holds until it expires")
    clock.advance(by: 1)
    let taken = try await desk.next(experiment: 1, annotator: "bob", count: 5)
    #expect(taken.map(\.slice) == [11])
    #expect(taken.first?.expires == clock.now.addingTimeInterval(60))

    let refusal = await #expect(throws: (any Error).self) {
      try await desk.checkSubmission(experiment: 1, slice: 11, annotator: "alice")
    }
    #expect("\(refusal!)".contains("leased to 'bob'"))
    try await desk.checkSubmission(experiment: 1, slice: 11, annotator: "bob")
    #expect(await desk.submitted(experiment: 1, slice: 11) == 0)
    try await round.value
    #expect(await desk.waiting == 0)
  }

  @Test func askingAgainRenewsTheLeasesOneHolds() async throws {
    let round = try await waitFor([1, 2, 3])
    #expect(try await desk.next(experiment: 1, annotator: "alice", count: 2).map(\.slice) == [1, 2])
    clock.advance(by: 50)
    #expect(try await desk.next(experiment: 1, annotator: "alice", count: 2).map(\.slice) == [1, 2], "renewed")
    clock.advance(by: 50)  // 100 s after the first lease, 50 s after the renewal
    #expect(try await desk.next(experiment: 1, annotator: "bob", count: 5).map(\.slice) == [3])
    let progress = await desk.progress(experiment: 1)
    #expect(progress.waiting == 3 && progress.unleased == 0 && progress.total == 3)
    #expect(progress.annotators.map(\.name) == ["alice", "bob"] && progress.annotators.map(\.leased) == [2, 1])
    for slice: Int64 in [1, 2, 3] { await desk.submitted(experiment: 1, slice: slice) }
    try await round.value
  }

  @Test func aSliceNotWaitingIsRefusedAndAnotherExperimentsPicksAreNotHandedOut() async throws {
    let round = try await waitFor([5])
    #expect(try await desk.next(experiment: 2, annotator: "alice", count: 5).isEmpty)
    let refusal = await #expect(throws: (any Error).self) {
      try await desk.checkSubmission(experiment: 1, slice: 6, annotator: "alice")
    }
    #expect("\(refusal!)".contains("slice 6 is not waiting"))
    await #expect(throws: (any Error).self) { try await desk.checkSubmission(experiment: 2, slice: 5, annotator: "a") }
    round.cancel()
    await #expect(throws: CancellationError.self) { try await round.value }
  }

  @Test func cancellingARoundEndsItsWaitAndAResumedRoundGetsItsPicksBack() async throws {
    let round = try await waitFor([7, 8])
    _ = try await desk.next(experiment: 1, annotator: "alice", count: 1)
    round.cancel()
    await #expect(throws: CancellationError.self) { try await round.value }
    #expect(await desk.waiting == 0)
    // The gateway's next run registers the round again: slice 7 was annotated meanwhile, 8 is still open.
    let desk = AnnotationDesk(leaseDuration: 60, clock: { [clock] in clock.now })
    let resumed = Task { try await desk.collect(experiment: 1, key: "r0", slices: [7, 8], alreadyDone: [7]) }
    var handed: [Int64] = []
    for _ in 0..<10_000 where handed.isEmpty {
      handed = try await desk.next(experiment: 1, annotator: "bob", count: 5).map(\.slice)
      await Task.yield()
    }
    #expect(handed == [8])
    await desk.submitted(experiment: 1, slice: 8)
    try await resumed.value
  }

  @Test func aRoundWhosePicksWereAllAnnotatedDoesNotWait() async throws {
    try await desk.collect(experiment: 1, key: "r0", slices: [1, 2], alreadyDone: [1, 2])
    #expect(await desk.waiting == 0)
  }

  @Test func aNewDeskOnTheSameJournalKeepsTheLeasesTheOldOneGranted() async throws {
    let journal = MemoryJournal()
    let old = AnnotationDesk(leaseDuration: 60, clock: { [clock] in clock.now }, journal: journal)
    let round = Task { try await old.collect(experiment: 1, key: "r0", slices: [1, 2, 3, 4], alreadyDone: []) }
    var alice: [Int64] = []
    for _ in 0..<10_000 where alice.isEmpty {
      alice = try await old.next(experiment: 1, annotator: "alice", count: 2).map(\.slice)
      await Task.yield()
    }
    #expect(alice == [1, 2] && journal.saved(1).map(\.slice) == [1, 2])
    round.cancel()  // the gateway stops
    await #expect(throws: CancellationError.self) { try await round.value }

    clock.advance(by: 30)
    let new = AnnotationDesk(leaseDuration: 60, clock: { [clock] in clock.now }, journal: journal)
    let resumed = Task { try await new.collect(experiment: 1, key: "r0", slices: [1, 2, 3, 4], alreadyDone: [4]) }
    var bob: [Int64] = []
    for _ in 0..<10_000 where bob.isEmpty {
      bob = try await new.next(experiment: 1, annotator: "bob", count: 5).map(\.slice)
      await Task.yield()
    }
    #expect(bob == [3], "alice still holds 1 and 2; 4 was annotated")
    let refusal = await #expect(throws: (any Error).self) {
      try await new.checkSubmission(experiment: 1, slice: 1, annotator: "bob")
    }
    #expect("\(refusal!)".contains("leased to 'alice'"))
    #expect(await new.progress(experiment: 1).annotators.map(\.leased) == [2, 1])
    // Alice's leases run out when the old desk said (60 s after she took them), then go to whoever asks.
    clock.advance(by: 30)
    #expect(try await new.next(experiment: 1, annotator: "carol", count: 5).map(\.slice) == [1, 2])
    #expect(journal.saved(1).map(\.annotator) == ["carol", "carol", "bob"])
    for slice: Int64 in [1, 2, 3] { await new.submitted(experiment: 1, slice: slice) }
    try await resumed.value
  }

  @Test func concurrentGrantsAreSavedNewestLastAndAFailedSaveIsAnError() async throws {
    let journal = MemoryJournal(firstSaveDelay: .milliseconds(50))
    let desk = AnnotationDesk(leaseDuration: 60, clock: { [clock] in clock.now }, journal: journal)
    let round = Task { try await desk.collect(experiment: 1, key: "r0", slices: [1, 2, 3], alreadyDone: []) }
    for _ in 0..<10_000 where await desk.waiting == 0 { await Task.yield() }
    // Alice's save is slow; bob's grant comes while it is in flight and must not be overwritten by it.
    async let alice = desk.next(experiment: 1, annotator: "alice", count: 1)
    try await Task.sleep(for: .milliseconds(10))
    let bob = try await desk.next(experiment: 1, annotator: "bob", count: 1)
    #expect(try await alice.map(\.slice) == [1] && bob.map(\.slice) == [2])
    #expect(journal.saved(1).map(\.annotator) == ["alice", "bob"])

    journal.failNext()
    await #expect(throws: MemoryJournal.Unreachable.self) {
      try await desk.next(experiment: 1, annotator: "carol", count: 1)
    }
    #expect(try await desk.next(experiment: 1, annotator: "carol", count: 1).map(\.slice) == [3], "asking again renews")
    #expect(journal.saved(1).map(\.annotator) == ["alice", "bob", "carol"])
    round.cancel()
    _ = try? await round.value
  }
}

/// A lease journal in memory: a save may be slow (the first one) or fail (once, when told).
final class MemoryJournal: LeaseJournal {
  struct Unreachable: Error {}
  private let state = Mutex<(leases: [Int64: [StoredLease]], saves: Int, failNext: Bool)>(([:], 0, false))
  let firstSaveDelay: Duration

  init(firstSaveDelay: Duration = .zero) { self.firstSaveDelay = firstSaveDelay }

  func saved(_ experiment: Int64) -> [StoredLease] { state.withLock { $0.leases[experiment] ?? [] } }
  func failNext() { state.withLock { $0.failNext = true } }

  func leases(experiment: Int64) async throws -> [StoredLease] { saved(experiment) }

  func saveLeases(_ leases: [StoredLease], experiment: Int64) async throws {
    let (first, fail) = state.withLock { s -> (Bool, Bool) in
      s.saves += 1
      defer { s.failNext = false }
      return (s.saves == 1, s.failNext)
    }
    if first { try await Task.sleep(for: firstSaveDelay) }
    if fail { throw Unreachable() }
    state.withLock { $0.leases[experiment] = leases }
  }
}
