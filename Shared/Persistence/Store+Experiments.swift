// Experiments and their rounds: the gateway's state machine, persisted so a round can resume.

import Foundation
import GRDB

extension Store {
  // MARK: - Experiments

  /// Creates an experiment with a unique name.
  @discardableResult
  public func createExperiment(
    name: String, config: String, state: String = "created",
    actor: String
  ) throws -> Experiment {
    try Validation.nonEmpty(name, "experiment name")
    return try write("creating experiment '\(name)'") { db in
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE name = ?", arguments: [name]) != nil {
        throw StoreError(.alreadyExists, "experiment '\(name)' already exists; resume it, or choose a different name")
      }
      let now = Date().timeIntervalSince1970
      try db.execute(
        sql: "INSERT INTO experiments (name, config, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [name, config, state, now, now])
      let id = db.lastInsertedRowID
      try Store.audit(
        db, actor: actor, action: "experiment.create", entity: "experiment:\(id)", detail: "name=\(name) state=\(state)"
      )
      return try Store.experiment(db, id: id)!
    }
  }

  /// Sets an experiment's state.
  @discardableResult
  public func updateExperiment(id: Int64, state: String, actor: String) throws -> Experiment {
    try write("updating experiment \(id)") { db in
      try db.execute(
        sql: "UPDATE experiments SET state = ?, updated_at = ? WHERE id = ?",
        arguments: [state, Date().timeIntervalSince1970, id])
      guard db.changesCount == 1, let experiment = try Store.experiment(db, id: id) else {
        throw StoreError(.notFound, "experiment \(id) does not exist; list experiments to see the ids")
      }
      try Store.audit(
        db, actor: actor, action: "experiment.update", entity: "experiment:\(id)", detail: "state=\(state)")
      return experiment
    }
  }

  /// The experiment with this id, or nil.
  public func experiment(id: Int64) throws -> Experiment? {
    try read("fetching experiment \(id)") { db in try Store.experiment(db, id: id) }
  }

  /// The experiment with this name, or nil.
  public func experiment(named name: String) throws -> Experiment? {
    try read("fetching experiment '\(name)'") { db in
      try Int64.fetchOne(db, sql: "SELECT id FROM experiments WHERE name = ?", arguments: [name])
        .flatMap { try Store.experiment(db, id: $0) }
    }
  }

  /// Every experiment, oldest first.
  public func experiments() throws -> [Experiment] {
    try read("listing experiments") { db in
      try Int64.fetchAll(db, sql: "SELECT id FROM experiments ORDER BY id").compactMap {
        try Store.experiment(db, id: $0)
      }
    }
  }

  private static func experiment(_ db: Database, id: Int64) throws -> Experiment? {
    try Row.fetchOne(
      db, sql: "SELECT id, name, config, state, created_at, updated_at FROM experiments WHERE id = ?",
      arguments: [id]
    ).map { row in
      Experiment(
        id: row[0], name: row[1], config: row[2], state: row[3],
        createdAt: Date(timeIntervalSince1970: row[4]), updatedAt: Date(timeIntervalSince1970: row[5]))
    }
  }

  // MARK: - Rounds

  /// Creates a round; (experiment, strategy, seed, index) must be new.
  @discardableResult
  public func createRound(
    experimentId: Int64, index: Int, strategy: String, seed: UInt64,
    state: String = "pending", step: String = "", payloadJSON: String = "{}",
    actor: String
  ) throws -> Round {
    try Validation.nonEmpty(strategy, "round strategy")
    try Validation.json(payloadJSON, "payload of round \(index)")
    let key = "round \(index) of strategy '\(strategy)' seed \(seed) in experiment \(experimentId)"
    return try write("creating \(key)") { db in
      guard try Store.experiment(db, id: experimentId) != nil else {
        throw StoreError(.notFound, "experiment \(experimentId) does not exist; create it before its rounds")
      }
      if try Store.roundId(db, experimentId: experimentId, strategy: strategy, seed: seed, index: index) != nil {
        throw StoreError(.alreadyExists, "\(key) already exists; update it, or resume it")
      }
      let now = Date().timeIntervalSince1970
      try db.execute(
        sql: """
          INSERT INTO rounds (experiment_id, round_index, strategy, seed, state, step, payload, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, arguments: [experimentId, index, strategy, Int64(bitPattern: seed), state, step, payloadJSON, now, now])
      let id = db.lastInsertedRowID
      try Store.audit(
        db, actor: actor, action: "round.create", entity: "round:\(id)", detail: "\(key) state=\(state) step=\(step)")
      return try Store.round(db, id: id)!
    }
  }

  /// Creates the round (experiment, strategy, seed, index), or updates its state, step and payload when it
  /// exists (the gateway records a round once trained and again once done).
  @discardableResult
  public func upsertRound(
    experimentId: Int64, index: Int, strategy: String, seed: UInt64, state: String, step: String,
    payloadJSON: String, actor: String
  ) throws -> Round {
    if let existing = try rounds(experimentId: experimentId).first(where: {
      $0.index == index && $0.strategy == strategy && $0.seed == seed
    }) {
      return try updateRound(id: existing.id, state: state, step: step, payloadJSON: payloadJSON, actor: actor)
    }
    return try createRound(
      experimentId: experimentId, index: index, strategy: strategy, seed: seed, state: state, step: step,
      payloadJSON: payloadJSON, actor: actor)
  }

  /// Updates a round's state and step, and its payload when given.
  @discardableResult
  public func updateRound(
    id: Int64, state: String, step: String, payloadJSON: String? = nil,
    actor: String
  ) throws -> Round {
    if let payloadJSON { try Validation.json(payloadJSON, "payload of round \(id)") }
    return try write("updating round \(id)") { db in
      try db.execute(
        sql: """
          UPDATE rounds SET state = ?, step = ?, payload = coalesce(?, payload), updated_at = ? WHERE id = ?
          """, arguments: [state, step, payloadJSON, Date().timeIntervalSince1970, id])
      guard db.changesCount == 1, let round = try Store.round(db, id: id) else {
        throw StoreError(.notFound, "round \(id) does not exist; list the experiment's rounds to see the ids")
      }
      try Store.audit(
        db, actor: actor, action: "round.update", entity: "round:\(id)", detail: "state=\(state) step=\(step)")
      return round
    }
  }

  /// The round with this id, or nil.
  public func round(id: Int64) throws -> Round? {
    try read("fetching round \(id)") { db in try Store.round(db, id: id) }
  }

  /// The round with this key, or nil.
  public func round(experimentId: Int64, strategy: String, seed: UInt64, index: Int) throws -> Round? {
    try read("fetching a round of experiment \(experimentId)") { db in
      try Store.roundId(db, experimentId: experimentId, strategy: strategy, seed: seed, index: index)
        .flatMap { try Store.round(db, id: $0) }
    }
  }

  /// Every round of an experiment, by strategy, seed and index.
  public func rounds(experimentId: Int64) throws -> [Round] {
    try read("listing rounds of experiment \(experimentId)") { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM rounds WHERE experiment_id = ? ORDER BY strategy, seed, round_index",
        arguments: [experimentId]
      ).compactMap { try Store.round(db, id: $0) }
    }
  }

  private static func roundId(
    _ db: Database, experimentId: Int64, strategy: String, seed: UInt64,
    index: Int
  ) throws -> Int64? {
    try Int64.fetchOne(
      db,
      sql: """
        SELECT id FROM rounds WHERE experiment_id = ? AND strategy = ? AND seed = ? AND round_index = ?
        """, arguments: [experimentId, strategy, Int64(bitPattern: seed), index])
  }

  private static func round(_ db: Database, id: Int64) throws -> Round? {
    try Row.fetchOne(
      db,
      sql: """
        SELECT id, experiment_id, round_index, strategy, seed, state, step, payload, created_at, updated_at
        FROM rounds WHERE id = ?
        """, arguments: [id]
    ).map { row in
      Round(
        id: row[0], experimentId: row[1], index: row[2], strategy: row[3],
        seed: UInt64(bitPattern: row[4] as Int64), state: row[5], step: row[6], payloadJSON: row[7],
        createdAt: Date(timeIntervalSince1970: row[8]), updatedAt: Date(timeIntervalSince1970: row[9]))
    }
  }
}
