// The annotators' desk on a manual clock: leases expire to the next annotator, a late submission of an expired
// lease is refused naming the holder, renewal keeps a slice, and a round's wait ends on its last submission or on
// cancellation.
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
    #expect(await desk.next(experiment: 1, annotator: "alice", count: 5).map(\.slice) == [11])
    #expect(await desk.next(experiment: 1, annotator: "bob", count: 5).isEmpty)
    await #expect(throws: (any Error).self) {
      try await desk.checkSubmission(experiment: 1, slice: 11, annotator: "bob")
    }

    clock.advance(by: 59)
    #expect(await desk.next(experiment: 1, annotator: "bob", count: 5).isEmpty, "the lease holds until it expires")
    clock.advance(by: 1)
    let taken = await desk.next(experiment: 1, annotator: "bob", count: 5)
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
    #expect(await desk.next(experiment: 1, annotator: "alice", count: 2).map(\.slice) == [1, 2])
    clock.advance(by: 50)
    #expect(await desk.next(experiment: 1, annotator: "alice", count: 2).map(\.slice) == [1, 2], "renewed")
    clock.advance(by: 50)  // 100 s after the first lease, 50 s after the renewal
    #expect(await desk.next(experiment: 1, annotator: "bob", count: 5).map(\.slice) == [3])
    let progress = await desk.progress(experiment: 1)
    #expect(progress.waiting == 3 && progress.unleased == 0 && progress.total == 3)
    #expect(progress.annotators.map(\.name) == ["alice", "bob"] && progress.annotators.map(\.leased) == [2, 1])
    for slice: Int64 in [1, 2, 3] { await desk.submitted(experiment: 1, slice: slice) }
    try await round.value
  }

  @Test func aSliceNotWaitingIsRefusedAndAnotherExperimentsPicksAreNotHandedOut() async throws {
    let round = try await waitFor([5])
    #expect(await desk.next(experiment: 2, annotator: "alice", count: 5).isEmpty)
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
    _ = await desk.next(experiment: 1, annotator: "alice", count: 1)
    round.cancel()
    await #expect(throws: CancellationError.self) { try await round.value }
    #expect(await desk.waiting == 0)
    // The gateway's next run registers the round again: slice 7 was annotated meanwhile, 8 is still open.
    let desk = AnnotationDesk(leaseDuration: 60, clock: { [clock] in clock.now })
    let resumed = Task { try await desk.collect(experiment: 1, key: "r0", slices: [7, 8], alreadyDone: [7]) }
    var handed: [Int64] = []
    for _ in 0..<10_000 where handed.isEmpty {
      handed = await desk.next(experiment: 1, annotator: "bob", count: 5).map(\.slice)
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
}
