// Readers run concurrently with an open import transaction and never see its partial rows.

import Foundation
import Persistence
import Testing

/// A value handed from one thread to another.
final class Handoff<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value?
  var value: Value? {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
  /// Changes the value under the lock.
  func update(_ change: (inout Value?) -> Void) { lock.withLock { change(&stored) } }
}

@Suite struct ConcurrencyTests {
  struct Timeout: Error {}

  @Test func readersProceedWhileAWriterImports() throws {
    let (store, tiny) = try TinyDataset.store()
    let tinySlices = try store.slices(datasetId: tiny.id).map(\.id)
    let before = try store.rowCounts()
    let inside = DispatchSemaphore(value: 0)
    let readersDone = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let outcome = Handoff<Result<Int, StoreError>>()

    let writer = Thread {
      var produced = 0
      do {
        let info = try store.importDataset(
          TinyDataset.header(name: "second"), patients: TinyDataset.patients,
          volumes: {
            if produced == 3 {
              // Hold the write transaction open until the readers are done; a blocked reader would time out here.
              inside.signal()
              if readersDone.wait(timeout: .now() + 20) == .timedOut { throw Timeout() }
            }
            produced += 1
            return produced <= 6 ? TinyDataset.volume(produced - 1) : nil
          }, actor: "writer")
        outcome.value = .success(info.sliceCount)
      } catch {
        outcome.value = .failure(error as? StoreError ?? StoreError(.database, "\(error)"))
      }
      finished.signal()
    }
    writer.start()
    #expect(inside.wait(timeout: .now() + 20) == .success)

    let reads = Handoff<[Bool]>()
    reads.value = []
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      let ok =
        (try? {
          let names = try store.datasets().map(\.name)
          let images = try store.images(ids: Array(tinySlices.dropFirst(i).prefix(5 + i)))
          let counts = try store.rowCounts()
          return names == ["tiny"] && images.count == 5 + i && counts == before
        }()) ?? false
      reads.update { $0 = ($0 ?? []) + [ok] }
    }
    readersDone.signal()
    #expect(finished.wait(timeout: .now() + 20) == .success)
    let results = reads.value ?? []
    #expect(results.count == 4 && results.allSatisfy { $0 })
    #expect(try outcome.value?.get() == 18)
    #expect(try store.datasets().map(\.name) == ["tiny", "second"])
  }
}
