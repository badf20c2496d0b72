// The models' stored predictions for a pool, as the uncertainty strategies read them: one row per pool
// slice in pool order. Labeled rows are never scored, so they need no prediction and hold 1/C.
import ActiveLearning
import Messaging
import Protos
import ServiceKit

struct StoredPredictions {
  /// The mean softmax of each model, `(models, slices, classes, pixels)`.
  let ensemble: ClassProbabilities
  /// Per model, `mean_t mean_px H(p_t)` per pool row.
  let expectedEntropy: [[Double]]
  /// Per model, its number of passes.
  let passes: [Int]
  let checkpoints: [Int64]

  /// Reads the predictions of `checkpoints` for the unlabeled slices of `pool` from storage; every one must exist.
  static func fetch(storage: StorageClient, checkpoints: [Int64], pool: [Int64], labeled: Set<Int>) async throws
    -> StoredPredictions
  {
    let unlabeled = pool.filter { !labeled.contains(Int($0)) }
    let stored = try await storage.predictions(checkpoints: checkpoints, slices: unlabeled)
    guard let first = stored.first else {
      throw ServiceError(
        .failedPrecondition,
        "no stored predictions of checkpoints \(checkpoints) for this pool; run Predict with store over the unlabeled slices first"
      )
    }
    let shape = first.shape
    let classes = shape[0], pixels = shape.dropFirst().reduce(1, *)
    let row = Dictionary(uniqueKeysWithValues: pool.enumerated().map { ($1, $0) })
    let member = Dictionary(uniqueKeysWithValues: checkpoints.enumerated().map { ($1, $0) })
    var values = [Float](repeating: 1 / Float(classes), count: checkpoints.count * pool.count * classes * pixels)
    var entropy = [[Double]](repeating: [Double](repeating: 0, count: pool.count), count: checkpoints.count)
    var passes = [Int](repeating: 0, count: checkpoints.count)
    var seen = Set<[Int64]>()
    for prediction in stored {
      guard let m = member[prediction.checkpointID], let r = row[prediction.sliceID] else { continue }
      guard prediction.shape == shape else {
        throw ServiceError(
          .failedPrecondition,
          "checkpoint \(prediction.checkpointID) predicted slice \(prediction.sliceID) at shape \(prediction.shape), not \(shape) like the others; predict every model at one preset"
        )
      }
      let probabilities = prediction.probabilities
      let base = (m * pool.count + r) * classes * pixels
      values.replaceSubrange(base..<(base + classes * pixels), with: probabilities)
      entropy[m][r] = prediction.expectedEntropy
      passes[m] = Int(prediction.passes)
      seen.insert([prediction.checkpointID, prediction.sliceID])
    }
    for checkpoint in checkpoints {
      let missing = unlabeled.filter { !seen.contains([checkpoint, $0]) }
      if !missing.isEmpty {
        throw ServiceError(
          .failedPrecondition,
          "checkpoint \(checkpoint) has no stored prediction for \(missing.count) unlabeled pool slices (e.g. \(missing.prefix(5).map(String.init).joined(separator: ", "))); run Predict with store over them first"
        )
      }
    }
    return StoredPredictions(
      ensemble: ClassProbabilities(
        members: checkpoints.count, slices: pool.count, classes: classes, pixels: pixels, values: values),
      expectedEntropy: entropy, passes: passes, checkpoints: checkpoints)
  }

  /// Each model's MC-dropout summary; FAILED_PRECONDITION when a model was predicted with one pass.
  func dropoutSummaries(for strategy: String) throws -> [DropoutSummary] {
    let block = ensemble.slices * ensemble.classes * ensemble.pixels
    return try checkpoints.indices.map { m in
      guard passes[m] > 1 else {
        throw ServiceError(
          .failedPrecondition,
          "strategy '\(strategy)' needs Monte-Carlo-dropout predictions, but checkpoint \(checkpoints[m])'s were made with one pass; run Predict with mc_passes > 1 (the paper uses 40)"
        )
      }
      let mean = ClassProbabilities(
        members: 1, slices: ensemble.slices, classes: ensemble.classes, pixels: ensemble.pixels,
        values: Array(ensemble.values[(m * block)..<((m + 1) * block)]))
      return DropoutSummary(meanProbabilities: mean, expectedEntropy: expectedEntropy[m])
    }
  }
}
