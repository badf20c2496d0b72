// The selector's Select: gathers what the strategy measures (pixels, scribbles, embeddings, the models' stored
// predictions) from storage for every pool slice, runs the strategy off the cooperative pool, and returns
// ranked slice ids with scores.
import ActiveLearning
import Experiments
import Foundation
import LearnedSelection
import Logging
import Messaging
import Protos
import ServiceKit

typealias SelectRequest = Activeseg_V1_SelectRequest
typealias SelectReply = Activeseg_V1_SelectReply

struct SelectorHandlers: Sendable {
  let storage: StorageClient
  let cache: PoolPixelCache
  let logger: Logger

  /// Every strategy by name: ActiveLearning's and the learned baselines (VAAL, CoreGCN).
  static let strategies: [any SelectionStrategy] = Strategies.all + LearnedStrategies.all

  static func strategy(named name: String) throws -> any SelectionStrategy {
    guard let strategy = strategies.first(where: { $0.name == name }) else {
      throw ServiceError(
        .invalidArgument,
        "no selection strategy named '\(name)'; use one of \(strategies.map(\.name).joined(separator: ", "))")
    }
    return strategy
  }

  func register(on router: inout RPCRouter) {
    router.register("Selector/Select") { (request: SelectRequest, _) in try await select(request) }
    router.register("Selector/ListStrategies") { (_: Activeseg_V1_ListStrategiesRequest, _) in
      var reply = Activeseg_V1_ListStrategiesReply()
      reply.strategies = Self.strategies.map(\.name)
      return reply
    }
  }

  func select(_ request: SelectRequest) async throws -> SelectReply {
    let started = ContinuousClock.now
    let strategy = try Self.applying(request.parameters, to: Self.strategy(named: request.strategy))
    guard let needs = StrategyName(rawValue: strategy.name)?.inputs else {
      throw ServiceError(
        .unimplemented,
        "the selector does not know what strategy '\(strategy.name)' measures; use one of \(StrategyName.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    guard request.budget > 0 else {
      throw ServiceError(.invalidArgument, "budget must be at least 1, got \(request.budget)")
    }
    if needs.contains(.embeddings) && request.encoderID == 0 {
      throw ServiceError(
        .invalidArgument, "strategy '\(strategy.name)' needs embeddings: pass the encoder_id that Embed wrote")
    }
    if (needs.contains(.predictions) || needs.contains(.dropoutSummaries)) && request.modelCheckpointIds.isEmpty {
      throw ServiceError(
        .invalidArgument,
        "strategy '\(strategy.name)' scores slices with the models' predictions: pass model_checkpoint_ids (the ensemble Train returned) after running Predict with store over the pool"
      )
    }

    // The pool: the given slices, or every training slice; labeled slices stay in it as the centers.
    var ids = request.poolSliceIds
    if ids.isEmpty { ids = try await storage.slices(dataset: request.datasetID, split: .train).map(\.id) }
    guard !ids.isEmpty else {
      throw ServiceError(.failedPrecondition, "dataset \(request.datasetID) has no training slices to select from")
    }
    let labeled = Set(request.labeledSliceIds.map(Int.init))
    var data = SelectionData()
    var cached = false
    if needs.contains(.pixels) || needs.contains(.scribbles) {
      let pool: PoolPixelCache.Pool
      (pool, cached) = try await poolPixels(ids, dataset: request.datasetID)
      data.pixelColumns = pool.columns
      if needs.contains(.scribbles) {
        data.scribbles = try await scribbles(ids, labeled: labeled, pool)
      } else {
        data.pixels = pool.pixels
      }
    }
    if needs.contains(.embeddings) { data.embeddings = try await embeddings(request.encoderID, ids) }
    if needs.contains(.predictions) || needs.contains(.dropoutSummaries) {
      let models = try await StoredPredictions.fetch(
        storage: storage, checkpoints: request.modelCheckpointIds, pool: ids, labeled: labeled)
      if needs.contains(.predictions) { data.ensembleProbabilities = models.ensemble }
      if needs.contains(.dropoutSummaries) { data.dropoutSummaries = try models.dropoutSummaries(for: strategy.name) }
    }

    let pool = SelectionPool(sliceIDs: ids.map(Int.init))
    let budget = Int(request.budget), seed = request.seed, input = data
    let picks = try await onDedicatedThread(name: "select") { () throws -> [RankedSlice] in
      do { return try strategy.select(pool: pool, labeled: labeled, budget: budget, data: input, seed: seed) } catch let
        error as SelectionError
      {
        throw ServiceError(selection: error)
      } catch {
        throw ServiceError(.internal, "\(error)", cause: error)
      }
    }
    var reply = SelectReply()
    reply.picks = picks.map {
      var pick = Activeseg_V1_Pick()
      pick.sliceID = Int64($0.id)
      pick.score = $0.score
      return pick
    }
    let elapsed = ContinuousClock.now - started
    reply.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    logger.info(
      "selected",
      metadata: [
        "strategy": "\(strategy.name)", "pool": "\(ids.count)", "picks": "\(picks.count)",
        "seconds": "\(reply.seconds)",
        "pool_pixels": "\(cached ? "cached" : "fetched")"
      ])
    return reply
  }

  /// Pixels of every pool slice, kept between Selects when the dataset can be identified (its creation time
  /// guards against re-used slice ids); without that, fetched for this Select alone.
  private func poolPixels(_ ids: [Int64], dataset: Int64) async throws -> (PoolPixelCache.Pool, Bool) {
    let fetch: @Sendable () async throws -> PoolPixelCache.Pool = { [storage] in
      let images = try await storage.images(ids)
      let size = images[0].pixels.count
      guard images.allSatisfy({ $0.pixels.count == size }) else {
        throw ServiceError(
          .failedPrecondition, "the pool's slices differ in size; import the dataset with one --slice-size")
      }
      let pixels = FeatureMatrix(rows: ids.count, columns: size, values: images.flatMap(\.pixels))
      return PoolPixelCache.Pool(
        pixels: pixels, columns: PixelColumns(transposing: pixels), heights: images.map(\.height),
        widths: images.map(\.width))
    }
    // A dataset that cannot be read now (a pool given by ids alone, storage busy) is simply not cached.
    guard dataset > 0, let identity = try? await storage.dataset(dataset) else { return (try await fetch(), false) }
    let key = PoolPixelCache.Key(dataset: dataset, created: identity.createdUnixMs, ids: ids)
    let (pool, cached) = try await cache.pool(key, fetch: fetch)
    return (pool, cached)
  }

  /// The scribble masks of the labeled pool slices (unlabeled rows are all 4). A labeled slice annotated with a
  /// full mask gets a scribble derived from it (`CenterScribbles`): the "ours" pixel term masks by the center's
  /// scribble in both supervision modes (spec §4.2).
  private func scribbles(_ ids: [Int64], labeled: Set<Int>, _ pool: PoolPixelCache.Pool) async throws
    -> ScribbleMasks
  {
    let size = pool.pixels.columns
    var labels = [UInt8](repeating: 4, count: ids.count * size)
    let labeledIDs = ids.filter { labeled.contains(Int($0)) }
    if !labeledIDs.isEmpty {
      let row = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
      for slice in try await storage.slicesWithAnnotations(labeledIDs) {
        guard var mask = slice.annotation, mask.count == size, let r = row[slice.id] else { continue }
        if slice.kind == .full {
          mask = CenterScribbles.scribble(
            fromFullMask: mask, height: pool.heights[r], width: pool.widths[r], sliceID: slice.id)
        }
        labels.replaceSubrange((r * size)..<((r + 1) * size), with: mask)
      }
    }
    return ScribbleMasks(slices: ids.count, pixels: size, labels: labels)
  }

  private func embeddings(_ encoder: Int64, _ ids: [Int64]) async throws -> FeatureMatrix {
    let (dimension, values) = try await storage.embeddings(encoder: encoder, slices: ids)
    return FeatureMatrix(rows: ids.count, columns: dimension, values: values)
  }
}

extension ServiceError {
  /// A strategy's failure with the code that says whose it is: the caller's request (INVALID_ARGUMENT) or the
  /// stored data the strategy was given (FAILED_PRECONDITION), with the strategy's own error as the cause.
  init(selection error: SelectionError) {
    let code: Code =
      switch error.code {
      case .missingData, .shapeMismatch: .failedPrecondition
      case .unknownStrategy, .invalidArgument: .invalidArgument
      default: .internal
      }
    self.init(code, error.message, cause: error)
  }
}
