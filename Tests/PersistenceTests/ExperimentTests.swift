// Experiments, rounds (the gateway's resumable state) and selections round trips.

import Foundation
import Persistence
import Testing

@Suite struct ExperimentTests {
  @Test func experimentsRoundTrip() throws {
    let store = try Store.temporary()
    let e = try store.createExperiment(name: "acdc-demo", config: "preset: default\nseeds: [0, 1]", actor: "cli")
    #expect(e.state == "created" && e.config.contains("seeds"))
    let duplicate = #expect(throws: StoreError.self) {
      try store.createExperiment(name: "acdc-demo", config: "", actor: "cli")
    }
    #expect(duplicate?.code == .alreadyExists && duplicate?.message.contains("'acdc-demo'") == true)
    let running = try store.updateExperiment(id: e.id, state: "running", actor: "gateway")
    #expect(running.state == "running" && running.updatedAt >= e.updatedAt)
    #expect(try store.experiment(named: "acdc-demo") == running)
    #expect(try store.experiment(id: e.id) == running)
    #expect(try store.experiments().count == 1)
    let missing = #expect(throws: StoreError.self) { try store.updateExperiment(id: 99, state: "x", actor: "g") }
    #expect(missing?.code == .notFound)
  }

  @Test func roundsCarryStateAndStepForResume() throws {
    let store = try Store.temporary()
    let e = try store.createExperiment(name: "e", config: "{}", actor: "cli")
    let bigSeed = UInt64.max - 5
    let r0 = try store.createRound(
      experimentId: e.id, index: 0, strategy: "gcl-coreset", seed: bigSeed, actor: "gateway")
    #expect(r0.state == "pending" && r0.step == "" && r0.payloadJSON == "{}" && r0.seed == bigSeed)
    try store.createRound(experimentId: e.id, index: 0, strategy: "random", seed: bigSeed, actor: "gateway")
    try store.createRound(experimentId: e.id, index: 1, strategy: "gcl-coreset", seed: bigSeed, actor: "gateway")

    let duplicate = #expect(throws: StoreError.self) {
      try store.createRound(experimentId: e.id, index: 0, strategy: "gcl-coreset", seed: bigSeed, actor: "gateway")
    }
    #expect(duplicate?.code == .alreadyExists && duplicate?.message.contains("gcl-coreset") == true)

    let training = try store.updateRound(id: r0.id, state: "running", step: "train", actor: "gateway")
    #expect(training.step == "train" && training.payloadJSON == "{}")
    let done = try store.updateRound(
      id: r0.id, state: "done", step: "evaluate",
      payloadJSON: #"{"val_dice":0.71,"test_dice":0.69}"#, actor: "gateway")
    #expect(done.payloadJSON.contains("val_dice"))
    let resumed = try #require(try store.round(experimentId: e.id, strategy: "gcl-coreset", seed: bigSeed, index: 0))
    #expect(resumed == done)
    #expect(try store.round(id: r0.id) == done)
    #expect(
      try store.rounds(experimentId: e.id).map { "\($0.strategy)#\($0.index)" } == [
        "gcl-coreset#0", "gcl-coreset#1", "random#0"
      ])

    let badPayload = #expect(throws: StoreError.self) {
      try store.updateRound(id: r0.id, state: "done", step: "x", payloadJSON: "{", actor: "g")
    }
    #expect(badPayload?.code == .invalidInput)
    let noExperiment = #expect(throws: StoreError.self) {
      try store.createRound(experimentId: 42, index: 0, strategy: "random", seed: 0, actor: "g")
    }
    #expect(noExperiment?.code == .notFound)
    #expect(try store.auditLog(limit: 50).filter { $0.action.hasPrefix("round.") }.count == 5)
  }

  @Test func selectionsRoundTripAndReplace() throws {
    let (store, info) = try TinyDataset.store()
    let ids = try store.slices(datasetId: info.id, filter: SliceFilter(split: .train)).map(\.id)
    let e = try store.createExperiment(name: "e", config: "{}", actor: "cli")
    let round = try store.createRound(experimentId: e.id, index: 0, strategy: "coreset", seed: 0, actor: "g")
    let picks = [Selection(rank: 1, sliceId: ids[3], score: 1), Selection(rank: 0, sliceId: ids[5], score: 2)]
    try store.putSelections(roundId: round.id, picks, actor: "selector")
    #expect(try store.selections(roundId: round.id) == picks.sorted { $0.rank < $1.rank })
    try store.putSelections(roundId: round.id, [Selection(rank: 0, sliceId: ids[0], score: 0.5)], actor: "selector")
    #expect(try store.selections(roundId: round.id).map(\.sliceId) == [ids[0]])

    let repeated = #expect(throws: StoreError.self) {
      try store.putSelections(
        roundId: round.id,
        [
          Selection(rank: 0, sliceId: ids[1], score: 1),
          Selection(rank: 1, sliceId: ids[1], score: 1)
        ], actor: "s")
    }
    #expect(repeated?.code == .invalidInput)
    let unknown = #expect(throws: StoreError.self) {
      try store.putSelections(roundId: round.id, [Selection(rank: 0, sliceId: 5555, score: 1)], actor: "s")
    }
    #expect(unknown?.code == .notFound && unknown?.message.contains("5555") == true)
    #expect(try store.selections(roundId: round.id).map(\.sliceId) == [ids[0]])
  }
}

@Suite struct AsyncAccessTests {
  @Test func performRunsStoreCallsFromAsyncCode() async throws {
    let (store, info) = try TinyDataset.store()
    let ids = try await store.perform { try $0.slices(datasetId: info.id).map(\.id) }
    async let first = store.perform { try $0.images(ids: Array(ids.prefix(3))) }
    async let revealed = store.perform { try $0.reveal(sliceId: ids[0], kind: .full, actor: "async") }
    #expect(try await first.map(\.id) == Array(ids.prefix(3)))
    #expect(try await revealed.sliceId == ids[0])
    let missing = await #expect(throws: StoreError.self) { try await store.perform { try $0.images(ids: [-1]) } }
    #expect(missing?.code == .notFound)
  }
}
