// Storage methods for experiments, their rounds (the gateway's persisted state machine) and selections.
import Foundation
import Messaging
import Persistence
import Protos
import ServiceKit

extension StorageHandlers {
  func registerExperiments(on router: inout RPCRouter) {
    router.register("Storage/PutExperiment") { (request: Activeseg_V1_PutExperimentRequest, context) in
      let actor = context.auditActor(declared: request.actor)
      let wire = request.experiment
      return try await run { store in
        let experiment =
          wire.id == 0
          ? try store.createExperiment(
            name: wire.name, config: wire.configYaml, state: wire.state.isEmpty ? "created" : wire.state, actor: actor)
          : try store.updateExperiment(id: wire.id, state: wire.state, actor: actor)
        var reply = Activeseg_V1_PutExperimentReply()
        reply.experiment = Self.wire(experiment)
        return reply
      }
    }

    router.register("Storage/GetExperiment") { (request: Activeseg_V1_GetExperimentRequest, _) in
      try await run { store in
        let found = request.id != 0 ? try store.experiment(id: request.id) : try store.experiment(named: request.name)
        guard let experiment = found else {
          throw ServiceError(
            .notFound,
            "experiment \(request.id != 0 ? "\(request.id)" : "'\(request.name)'") does not exist; `activeseg experiment list` shows the experiments"
          )
        }
        var reply = Activeseg_V1_GetExperimentReply()
        reply.experiment = Self.wire(experiment)
        return reply
      }
    }

    router.register("Storage/ListExperiments") { (_: Activeseg_V1_ListExperimentsRequest, _) in
      try await run { store in
        var reply = Activeseg_V1_ListExperimentsReply()
        reply.experiments = try store.experiments().map(Self.wire)
        return reply
      }
    }

    router.register("Storage/PutRound") { (request: Activeseg_V1_PutRoundRequest, context) in
      let actor = context.auditActor(declared: request.actor)
      let wire = request.round
      return try await run { store in
        let round: Round
        if wire.id == 0 {
          round = try store.upsertRound(
            experimentId: wire.experimentID, index: Int(wire.index), strategy: wire.strategy, seed: wire.seed,
            state: wire.state.isEmpty ? "pending" : wire.state, step: wire.step,
            payloadJSON: wire.payloadJson.isEmpty ? "{}" : wire.payloadJson, actor: actor)
        } else {
          round = try store.updateRound(
            id: wire.id, state: wire.state, step: wire.step,
            payloadJSON: wire.payloadJson.isEmpty ? nil : wire.payloadJson, actor: actor)
        }
        var reply = Activeseg_V1_PutRoundReply()
        reply.round = Self.wire(round)
        return reply
      }
    }

    router.register("Storage/ListRounds") { (request: Activeseg_V1_ListRoundsRequest, _) in
      try await run { store in
        var reply = Activeseg_V1_ListRoundsReply()
        reply.rounds = try store.rounds(experimentId: request.experimentID).map(Self.wire)
        return reply
      }
    }

    router.register("Storage/PutSelection") { (request: Activeseg_V1_PutSelectionRequest, context) in
      let actor = context.auditActor(declared: request.actor)
      let selections = request.picks.enumerated().map {
        Selection(rank: $0.offset, sliceId: $0.element.sliceID, score: $0.element.score)
      }
      return try await run { store in
        try store.putSelections(roundId: request.roundID, selections, actor: actor)
        var reply = Activeseg_V1_PutSelectionReply()
        reply.stored = Int32(selections.count)
        return reply
      }
    }

    router.register("Storage/GetSelection") { (request: Activeseg_V1_GetSelectionRequest, _) in
      try await run { store in
        var reply = Activeseg_V1_GetSelectionReply()
        reply.picks = try store.selections(roundId: request.roundID).sorted { $0.rank < $1.rank }.map {
          var pick = Activeseg_V1_Pick()
          pick.sliceID = $0.sliceId
          pick.score = $0.score
          return pick
        }
        return reply
      }
    }
  }

  static func wire(_ experiment: Experiment) -> Activeseg_V1_Experiment {
    var wire = Activeseg_V1_Experiment()
    wire.id = experiment.id
    wire.name = experiment.name
    wire.configYaml = experiment.config
    wire.state = experiment.state
    wire.createdUnixMs = experiment.createdAt.unixMilliseconds
    return wire
  }

  static func wire(_ round: Round) -> Activeseg_V1_Round {
    var wire = Activeseg_V1_Round()
    wire.id = round.id
    wire.experimentID = round.experimentId
    wire.index = Int32(round.index)
    wire.strategy = round.strategy
    wire.seed = round.seed
    wire.state = round.state
    wire.step = round.step
    wire.payloadJson = round.payloadJSON
    wire.updatedUnixMs = round.updatedAt.unixMilliseconds
    return wire
  }
}
