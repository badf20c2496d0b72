// The gateway's experiment calls: RunExperiment / ResumeExperiment start a run in the background,
// ExperimentStatus reports its rounds, Report builds summary.json, the CSV and the HTML report.
import Experiments
import Foundation
import Logging
import Messaging
import Orchestration
import Protos
import ServiceKit

/// Which experiments this gateway is running, and how those that stopped ended.
actor ExperimentBook {
  private var states: [Int64: ExperimentState] = [:]
  private var tasks: [Int64: Task<Void, Never>] = [:]

  func isRunning(_ id: Int64) -> Bool { states[id] == .running }
  func state(_ id: Int64) -> ExperimentState? { states[id] }
  func start(_ id: Int64, _ task: Task<Void, Never>) { states[id] = .running; tasks[id] = task }
  func finish(_ id: Int64, _ state: ExperimentState) { states[id] = state; tasks[id] = nil; cancelling.remove(id) }

  /// Experiments a caller asked to stop (as opposed to a shutdown, after which they resume).
  private var cancelling: Set<Int64> = []

  /// Cancels a running experiment's task and waits for it to end; false when it was not running here.
  func cancel(_ id: Int64) async -> Bool {
    guard let task = tasks[id] else { return false }
    cancelling.insert(id)
    task.cancel()
    await task.value
    return true
  }

  func isCancelling(_ id: Int64) -> Bool { cancelling.contains(id) }

  /// Cancels every running experiment's task and waits for them to end (shutdown); returns how many there were.
  /// Their experiments stay "running" in storage, so the next gateway resumes them.
  func cancelAll() async -> Int {
    let running = Array(tasks.values)
    for task in running { task.cancel() }
    for task in running { await task.value }
    return running.count
  }
}

struct ExperimentHandlers: Sendable {
  let runner: ExperimentRunner
  let storage: StorageClient
  let book = ExperimentBook()
  let logger: Logger

  func register(on router: inout RPCRouter) {
    router.register("Gateway/RunExperiment") { (request: Activeseg_V1_RunExperimentRequest, context) in
      let definition: ExperimentDefinition
      do { definition = try ExperimentDefinition(yaml: request.configYaml) } catch {
        throw ServiceError(.invalidArgument, "experiment definition: \(error)")
      }
      try await storage.requireReachable(for: "the experiment")
      let stored = try await dataset(named: definition.dataset)
      do { try definition.checkBudgets(poolSize: Int(stored.trainSlices)) } catch {
        throw ServiceError(.invalidArgument, "experiment definition: \(error)")
      }
      let dataset = stored.id
      let experiment = StoredExperiment(
        name: "\(definition.name)-\(Int(Date().timeIntervalSince1970))", configYAML: definition.yaml(),
        state: ExperimentState.running.rawValue)
      // With security on, the authenticated caller; without it, whoever the request says.
      let actor = context.identity != nil || request.actor.isEmpty ? context.caller : request.actor
      let created = try await storage.putExperiment(experiment, actor: actor)
      await start(created.id, definition: definition, dataset: dataset)
      var reply = Activeseg_V1_RunExperimentReply()
      reply.experimentID = created.id
      reply.state = "running"
      return reply
    }

    router.register("Gateway/ResumeExperiment") { (request: Activeseg_V1_ResumeExperimentRequest, _) in
      try await storage.requireReachable(for: "resuming experiment \(request.experimentID)")
      let experiment = try await experiment(request.experimentID)
      // Already running (a restarted gateway resumes by itself): nothing to do, the run continues.
      if !(await book.isRunning(experiment.id)) {
        let definition = try ExperimentDefinition(yaml: experiment.configYAML)
        await start(experiment.id, definition: definition, dataset: try await datasetID(named: definition.dataset))
      }
      var reply = Activeseg_V1_RunExperimentReply()
      reply.experimentID = experiment.id
      reply.state = "running"
      return reply
    }

    router.register("Gateway/ExperimentStatus") { (request: Activeseg_V1_ExperimentStatusRequest, _) in
      try await storage.requireReachable(for: "the status of experiment \(request.experimentID)")
      let experiment = try await experiment(request.experimentID)
      var reply = Activeseg_V1_ExperimentStatusReply()
      reply.experimentID = experiment.id
      reply.state = await book.state(experiment.id)?.rawValue ?? experiment.state
      reply.rounds = try await runner.finishedRounds(experiment: experiment.id).map { record in
        var round = Activeseg_V1_RoundSummary()
        round.strategy = record.strategy
        round.seed = record.seed
        round.index = Int32(record.round)
        round.labeledSlices = Int32(record.labeled.count)
        round.labeledFraction = record.cumulativeFraction
        round.costSeconds = record.costSeconds
        round.labeledPixels = record.labeledPixels
        round.test.classDice = record.result.classDice
        round.test.classHd95 = record.result.classHD95
        round.test.meanDice = record.result.meanDice
        round.test.meanHd95 = record.result.meanHD95
        round.state = "done"
        round.step = "evaluate"
        return round
      }
      return reply
    }

    router.register("Gateway/CancelExperiment") { (request: Activeseg_V1_CancelExperimentRequest, _) in
      let experiment = try await experiment(request.experimentID)
      guard await book.cancel(experiment.id) else {
        let state = await book.state(experiment.id)?.rawValue ?? experiment.state
        throw ServiceError(
          .failedPrecondition, "experiment \(experiment.id) is not running (it is \(state)); nothing to cancel")
      }
      var reply = Activeseg_V1_RunExperimentReply()
      reply.experimentID = experiment.id
      reply.state = "cancelled"
      return reply
    }

    router.register("Gateway/ListExperiments") { (_: Activeseg_V1_ExperimentListRequest, _) in
      try await storage.requireReachable(for: "the experiment list")
      var reply = Activeseg_V1_ExperimentListReply()
      for experiment in try await storage.experiments() {
        var overview = Activeseg_V1_ExperimentOverview()
        overview.id = experiment.id
        overview.name = experiment.name
        overview.state = await book.state(experiment.id)?.rawValue ?? experiment.state
        overview.createdUnixMs = experiment.createdUnixMs
        if let definition = try? ExperimentDefinition(yaml: experiment.configYAML) {
          overview.dataset = definition.dataset
          overview.strategies = definition.strategies.map(\.label)
          overview.seeds = Int32(definition.seeds.count)
          overview.supervision = definition.supervision.rawValue
          overview.plannedRounds = Int32(
            definition.strategies.count * definition.seeds.count * definition.schedule.roundCount)
        }
        overview.finishedRounds = Int32((try? await runner.finishedRounds(experiment: experiment.id).count) ?? 0)
        reply.experiments.append(overview)
      }
      return reply
    }

    router.register("Gateway/Report") { (request: Activeseg_V1_ReportRequest, _) in
      try await storage.requireReachable(for: "the report of experiment \(request.experimentID)")
      let experiment = try await experiment(request.experimentID)
      let definition = try ExperimentDefinition(yaml: experiment.configYAML)
      let records = try await runner.finishedRounds(experiment: experiment.id)
      guard !records.isEmpty else {
        throw ServiceError(
          .failedPrecondition, "experiment \(experiment.id) has no finished round yet; wait for its first round")
      }
      let classCounts = Set(records.map(\.result.classDice.count))
      guard classCounts.count == 1 else {
        throw ServiceError(
          .failedPrecondition,
          "experiment \(experiment.id)'s rounds report different numbers of classes (\(classCounts.sorted().map(String.init).joined(separator: ", "))); its records are damaged: run the experiment again"
        )
      }
      let classes = try await classNames(definition.dataset)
      let summary = ExperimentSummary(
        experiment: experiment.name, results: records.map(\.result),
        order: definition.strategies.map(\.label), classNames: classes)
      var reply = Activeseg_V1_ReportReply()
      reply.summaryJson = String(decoding: summary.json(), as: UTF8.self)
      reply.csv = ResultsCSV.csv(results: records.map(\.result), classNames: classes)
      reply.html = HTMLReport.html(summary, definitionYAML: experiment.configYAML)
      return reply
    }
  }

  /// Resumes every experiment storage lists as running (this gateway was stopped or killed during it);
  /// retries while storage is not up yet.
  func resumeInterrupted() async {
    for attempt in 0..<30 {
      do {
        for experiment in try await storage.experiments() where experiment.state == ExperimentState.running.rawValue {
          guard !(await book.isRunning(experiment.id)) else { continue }
          do {
            let definition = try ExperimentDefinition(yaml: experiment.configYAML)
            logger.info("resuming interrupted experiment", metadata: ["experiment": "\(experiment.id)"])
            await start(experiment.id, definition: definition, dataset: try await datasetID(named: definition.dataset))
          } catch let error as ServiceError where error.code == .unavailable || error.code == .deadlineExceeded {
            throw error  // storage went away: try the whole list again
          } catch {
            // One experiment that cannot resume (its definition or dataset is gone) must not hold up the others.
            logger.error("cannot resume experiment", metadata: ["experiment": "\(experiment.id)", "error": "\(error)"])
            await book.finish(experiment.id, .failed)
          }
        }
        return
      } catch {
        if attempt == 29 { logger.error("could not resume interrupted experiments", metadata: ["error": "\(error)"]) }
        try? await Task.sleep(for: .seconds(1))
      }
    }
  }

  private func start(_ id: Int64, definition: ExperimentDefinition, dataset: Int64) async {
    let runner = self.runner, book = self.book, logger = self.logger, storage = self.storage
    let task = Task {
      var state = ExperimentState.done
      do {
        try await Self.runResuming(runner, id, definition, dataset, logger)
      } catch  where Task.isCancelled {
        if await book.isCancelling(id) {
          state = .cancelled
          logger.info("experiment cancelled; resume continues it", metadata: ["experiment": "\(id)"])
          runner.publish(
            Self.event(
              id, step: "cancelled", "experiment \(id) was cancelled; `activeseg experiment resume \(id)` continues it")
          )
        } else {
          // The gateway is shutting down: the experiment stays "running" for the next gateway to resume.
          logger.info("experiment stopped for shutdown; the next gateway resumes it", metadata: ["experiment": "\(id)"])
          await book.finish(id, .running)
          return
        }
      } catch {
        state = .failed
        logger.error("experiment failed", metadata: ["experiment": "\(id)", "error": "\(error)"])
        runner.publish(Self.event(id, step: "failed", "experiment \(id) failed: \(error)"))
      }
      // An update of the state alone (id given, the other fields left empty).
      let finished = StoredExperiment(id: id, name: "", configYAML: "", state: state.rawValue)
      _ = try? await storage.putExperiment(finished, actor: "gateway")
      await book.finish(id, state)
    }
    await book.start(id, task)
  }

  /// Runs experiment `id`, and when a service it calls does not answer (storage or the selector restarting, a
  /// worker's job failing for the same reason) resumes it from its last persisted step after a pause (1, 2, 4 …
  /// 30 s), since every step is persisted and repeating an unfinished one is harmless. It gives up after 12 such
  /// errors in a row; an attempt that ran for a minute before its error starts the count again.
  static func runResuming(
    _ runner: ExperimentRunner, _ id: Int64, _ definition: ExperimentDefinition, _ dataset: Int64, _ logger: Logger
  ) async throws {
    var failures = 0
    while true {
      let started = ContinuousClock.now
      do {
        return try await runner.run(experiment: id, definition: definition, datasetID: dataset)
      } catch let error as ServiceError
        where (error.code == .unavailable || error.code == .deadlineExceeded) && !Task.isCancelled
      {
        failures = ContinuousClock.now - started > .seconds(60) ? 1 : failures + 1
        guard failures <= 12 else { throw error }
        let pause = min(30, 1 << (failures - 1))
        logger.warning(
          "a service did not answer; resuming the experiment from its last persisted step",
          metadata: ["experiment": "\(id)", "error": "\(error)", "in_seconds": "\(pause)"])
        runner.publish(
          event(id, step: "resume", "experiment \(id): \(error.message); resuming from its last step in \(pause) s"))
        try await Task.sleep(for: .seconds(pause))
      }
    }
  }

  static func event(_ id: Int64, step: String, _ message: String) -> RoundProgress {
    RoundProgress(topic: "experiment-\(id)", step: step, round: -1, message: message)
  }

  func experiment(_ id: Int64) async throws -> StoredExperiment {
    try await storage.experiment(id)
  }

  func datasetID(named name: String) async throws -> Int64 { try await dataset(named: name).id }

  func dataset(named name: String) async throws -> StoredDataset {
    let all = try await storage.datasets()
    guard let dataset = all.first(where: { $0.name == name }) else {
      throw ServiceError(
        .notFound,
        "dataset '\(name)' is not in storage (have: \(all.isEmpty ? "none" : all.map(\.name).joined(separator: ", "))); import it first with activeseg import"
      )
    }
    return dataset
  }

  private func classNames(_ dataset: String) async throws -> [String] {
    let names = try await storage.datasets().first { $0.name == dataset }?.classNames ?? []
    return Array(names.dropFirst())  // foreground classes only
  }
}
